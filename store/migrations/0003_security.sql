-- Redflag schema, version 3: security hardening. Same conventions as 0001.

-- Sessions also end after a while without use. Sessions from before this version count as idle and
-- end at once (their users log in again).
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;

-- Ads that visitors of the public check page chose to share, kept apart from the audit log (which
-- records what dashboard users do, and which anonymous visitors must not be able to fill). Never the
-- visitor's address. `indicators` is a JSON array of indicator ids.
CREATE TABLE shared_checks (
    id @ID@,
    at BIGINT NOT NULL,
    ui_language TEXT NOT NULL,
    url TEXT,
    verdict TEXT NOT NULL,
    risk BIGINT NOT NULL,
    indicators TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX shared_checks_at ON shared_checks (at);
