-- LOCAL SHIM (lead branch only; replaced by the h21-apps branch at merge).
CREATE TABLE apps (id TEXT PRIMARY KEY, org_id TEXT NOT NULL, name TEXT NOT NULL, backchannel_logout_uri TEXT);
