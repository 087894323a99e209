-- wrk script: GET /api/v1/users/{id}, rotating over the ids in the file given after `--`.
-- Each thread starts at a different place in the (shuffled) list. The Authorization header
-- comes from wrk's -H and is added by wrk.format.
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end

local ids = {}
local n = 0
local i = 0

function init(args)
  local path = args[1] or "bench/out/ids.txt"
  for line in io.lines(path) do
    if #line > 0 then
      n = n + 1
      ids[n] = line
    end
  end
  if n == 0 then
    error("no ids in " .. path)
  end
  i = ((tid or 1) * 7919) % n
end

function request()
  i = i % n + 1
  return wrk.format("GET", "/api/v1/users/" .. ids[i])
end
