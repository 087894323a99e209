-- wrk script: GET the URL given, each request with the next bearer token of the file given
-- after `--` (one per line). Each thread starts at a different place in the list.
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end

local tokens = {}
local n = 0
local i = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      n = n + 1
      tokens[n] = "Bearer " .. line
    end
  end
  if n == 0 then
    error("no tokens in " .. args[1])
  end
  i = ((tid or 1) * 7919) % n
end

function request()
  i = i % n + 1
  return wrk.format(nil, nil, { Authorization = tokens[i] })
end
