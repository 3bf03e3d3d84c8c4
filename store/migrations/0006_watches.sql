-- Watches (saved searches, watched contacts and networks), the alerts they raise when a new or changed
-- ad matches, the deliveries of those alerts (webhook, e-mail), the ad versions still to be matched, and
-- named leases that let one process at a time run analysis.

CREATE TABLE watches (
    id @ID@,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- search | contact | network
    kind TEXT NOT NULL,
    -- search: the index query; contact: "phone:+4420…", "email:…", "handle:…"; network: the cluster id
    target TEXT NOT NULL,
    -- search filters
    ad_kind TEXT,
    min_risk BIGINT,
    label TEXT NOT NULL,
    -- where to e-mail this watch's alerts, besides the installation-wide recipients
    email TEXT,
    paused BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX watches_user ON watches (user_id);

CREATE TABLE alerts (
    id @ID@,
    watch_id BIGINT NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    ad_id BIGINT NOT NULL REFERENCES ads(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    -- JSON: what matched (the query and highlighted excerpt, the contact and its span, the network)
    evidence TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT,
    UNIQUE (watch_id, ad_id, version)
);
CREATE INDEX alerts_user ON alerts (user_id, read_at);

CREATE TABLE alert_deliveries (
    id @ID@,
    alert_id BIGINT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    -- webhook | email
    channel TEXT NOT NULL,
    target TEXT NOT NULL,
    -- pending | sent | failed
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_at BIGINT NOT NULL,
    last_error TEXT,
    sent_at BIGINT,
    UNIQUE (alert_id, channel, target)
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (state, next_at);

-- Ad versions extracted but not yet matched against the watches; written in the extraction transaction
-- and removed in the transaction that writes their alerts, so a crash in between loses nothing.
CREATE TABLE alert_pending (
    ad_id BIGINT NOT NULL REFERENCES ads(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    PRIMARY KEY (ad_id, version)
);

CREATE TABLE worker_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
