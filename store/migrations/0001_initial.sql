-- Redflag schema, version 1. One source for both backends: `@ID@`, `@BLOB@` and `@REAL@` are replaced by
-- the backend's spelling (see store/src/migrate.rs). Times are BIGINT milliseconds since the Unix epoch
-- (UTC); flags are BIGINT 0/1; ids are BIGINT. This keeps one code path through sqlx::Any.

-- A crawled site, one per site-adapter file.
CREATE TABLE sites (
    id @ID@,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    country TEXT,
    language TEXT,
    config TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The crawl frontier: every URL the crawler knows of and what became of it. Workers lease rows; a lease
-- names its worker and expires, so rows held by a worker that died go back to the queue. `attempts` counts
-- failed tries and expired leases; `sha256` is the body hash of the last fetch (an unchanged body is not
-- stored twice); `not_before` is the earliest next fetch (a retry's backoff or the recrawl time).
CREATE TABLE frontier (
    id @ID@,
    site_id BIGINT NOT NULL REFERENCES sites(id),
    url TEXT NOT NULL,
    role TEXT NOT NULL,
    depth BIGINT NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    not_before BIGINT NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until BIGINT,
    outcome TEXT,
    detail TEXT,
    http_status BIGINT,
    page_id BIGINT,
    etag TEXT,
    last_modified TEXT,
    sha256 TEXT,
    parent_id BIGINT,
    fetch_count BIGINT NOT NULL DEFAULT 0,
    fetched_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (site_id, url)
);
CREATE INDEX frontier_ready ON frontier (site_id, state, id);
CREATE INDEX frontier_lease ON frontier (lease_owner);

-- Every fetched page, kept as evidence: raw bytes (compressed), their SHA-256 and the fetch metadata.
-- `frontier_id` is the frontier row it answered (NULL for robots.txt files, kept as evidence of the rules
-- the crawler obeyed).
CREATE TABLE pages (
    id @ID@,
    site_id BIGINT NOT NULL REFERENCES sites(id),
    frontier_id BIGINT,
    url TEXT NOT NULL,
    final_url TEXT NOT NULL,
    status BIGINT NOT NULL,
    fetched_at BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    truncated BIGINT NOT NULL DEFAULT 0,
    content_type TEXT,
    headers TEXT NOT NULL,
    compression TEXT NOT NULL,
    body @BLOB@ NOT NULL
);
CREATE INDEX pages_url ON pages (url);
CREATE INDEX pages_sha256 ON pages (sha256);
CREATE INDEX pages_frontier ON pages (frontier_id);

-- One advertisement, whatever URLs reach it. Its text lives in ad_versions.
CREATE TABLE ads (
    id @ID@,
    site_id BIGINT NOT NULL REFERENCES sites(id),
    ad_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    version BIGINT NOT NULL,
    content_hash TEXT NOT NULL,
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    analyzed_version BIGINT NOT NULL DEFAULT 0,
    risk BIGINT,
    cluster_id BIGINT,
    UNIQUE (site_id, ad_key)
);
CREATE INDEX ads_risk ON ads (risk);
CREATE INDEX ads_cluster ON ads (cluster_id);

-- Every URL an ad was seen under.
CREATE TABLE ad_urls (
    site_id BIGINT NOT NULL REFERENCES sites(id),
    url TEXT NOT NULL,
    ad_id BIGINT NOT NULL REFERENCES ads(id),
    first_seen BIGINT NOT NULL,
    PRIMARY KEY (site_id, url)
);

-- Each distinct content of an ad; a new row whenever its text, price or contacts change.
CREATE TABLE ad_versions (
    id @ID@,
    ad_id BIGINT NOT NULL REFERENCES ads(id),
    version BIGINT NOT NULL,
    page_id BIGINT REFERENCES pages(id),
    fetched_at BIGINT NOT NULL,
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    city TEXT,
    price TEXT,
    posted_at TEXT,
    contact TEXT,
    age TEXT,
    company TEXT,
    UNIQUE (ad_id, version)
);

-- Entities extracted from an ad's current version.
CREATE TABLE entities (
    id @ID@,
    ad_id BIGINT NOT NULL REFERENCES ads(id),
    version BIGINT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    raw TEXT NOT NULL,
    start_pos BIGINT NOT NULL,
    end_pos BIGINT NOT NULL,
    obfuscated BIGINT NOT NULL
);
CREATE INDEX entities_value ON entities (kind, value);
CREATE INDEX entities_ad ON entities (ad_id);

-- Scores, one per ad version and model, with the fired indicators and their evidence as JSON.
CREATE TABLE scores (
    id @ID@,
    ad_id BIGINT NOT NULL REFERENCES ads(id),
    version BIGINT NOT NULL,
    model TEXT NOT NULL,
    probability @REAL@ NOT NULL,
    risk BIGINT NOT NULL,
    verdict TEXT NOT NULL,
    language TEXT,
    language_supported BIGINT NOT NULL,
    indicators TEXT NOT NULL,
    scored_at BIGINT NOT NULL,
    UNIQUE (ad_id, version, model)
);

-- Edges between ads from linking (shared contact or reused template); rebuilt by each analysis run.
CREATE TABLE links (
    id @ID@,
    ad_a BIGINT NOT NULL REFERENCES ads(id),
    ad_b BIGINT NOT NULL REFERENCES ads(id),
    reason TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX links_a ON links (ad_a);
CREATE INDEX links_b ON links (ad_b);

-- An investigator's triage of a lead (an ad).
CREATE TABLE triage (
    ad_id BIGINT PRIMARY KEY REFERENCES ads(id),
    state TEXT NOT NULL,
    assignee TEXT,
    note TEXT,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE users (
    id @ID@,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

-- Login sessions; only a hash of the token is stored.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- Who did what, append-only.
CREATE TABLE audit_log (
    id @ID@,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT
);
CREATE INDEX audit_at ON audit_log (at);

-- One crawler run of one site by one worker, for the dashboard's crawl status. `stats` is the run's
-- JSON summary, rewritten every few seconds while it runs (`updated_at` is the heartbeat); a run still
-- `running` whose heartbeat stopped was killed.
CREATE TABLE crawl_runs (
    id @ID@,
    site_id BIGINT NOT NULL REFERENCES sites(id),
    worker TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    finished_at BIGINT,
    status TEXT NOT NULL,
    stats TEXT NOT NULL,
    error TEXT
);
CREATE INDEX crawl_runs_site ON crawl_runs (site_id, started_at);
