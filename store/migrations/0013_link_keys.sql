-- Redflag schema, version 13: what incremental analysis keeps so that analysing new ads relinks only the
-- part of the store they can affect (`redflag_store::relink`). Same conventions as 0001.

-- Each ad's template band keys (`redflag_core::link::template_keys`): two ads that share none are never
-- compared as a template pair, so the stored ads a new ad may share a template with are found by key.
-- Both tables hold tens of rows per ad, so SQLite stores them without a separate rowid (the primary key is
-- the table), which halves their size.
-- @sqlite
CREATE TABLE ad_link_keys (
    ad_id BIGINT NOT NULL REFERENCES ads(id),
    link_key BIGINT NOT NULL,
    PRIMARY KEY (ad_id, link_key)
) WITHOUT ROWID;
-- @postgres
CREATE TABLE ad_link_keys (
    ad_id BIGINT NOT NULL REFERENCES ads(id),
    link_key BIGINT NOT NULL,
    PRIMARY KEY (ad_id, link_key)
);
-- @both
CREATE INDEX ad_link_keys_key ON ad_link_keys (link_key, ad_id);

-- How many ads carry each template shingle, over the versions counted in `ads.keyed_version`: the corpus
-- frequencies that template weights are computed from when only part of the store is relinked.
-- @sqlite
CREATE TABLE shingle_df (
    shingle BIGINT PRIMARY KEY,
    ads BIGINT NOT NULL
) WITHOUT ROWID;
-- @postgres
CREATE TABLE shingle_df (
    shingle BIGINT PRIMARY KEY,
    ads BIGINT NOT NULL
);
-- @both

-- The version of the ad whose band keys are stored and whose shingles are counted (0: none yet).
ALTER TABLE ads ADD COLUMN keyed_version BIGINT NOT NULL DEFAULT 0;
-- A digest of the network context the ad was last scored with: an ad whose context is unchanged after a
-- relink is not rescored. NULL when never scored with one.
ALTER TABLE ads ADD COLUMN context_digest BIGINT;

-- The ads waiting for analysis, and those whose keys are not counted, found without reading every ad.
CREATE INDEX ads_stale ON ads (id) WHERE analyzed_version < version;
CREATE INDEX ads_unkeyed ON ads (id) WHERE keyed_version = 0;
