-- E-mail settings of an organisation (issue 4). NULL sender: the organisation's name and the
-- server's default address (`serve --mail-from`).
ALTER TABLE organisations ADD COLUMN mail_from_name TEXT;
ALTER TABLE organisations ADD COLUMN mail_from_address TEXT;
-- How long links stay valid: an invitation 7 days, a password reset 1 hour, by default.
ALTER TABLE organisations ADD COLUMN invitation_ttl_hours INTEGER NOT NULL DEFAULT 168;
ALTER TABLE organisations ADD COLUMN reset_ttl_minutes INTEGER NOT NULL DEFAULT 60;
