-- Redflag schema, version 14: the band keys and shingle counts written by incremental analysis go into
-- small tables of recent keys first, merged into `ad_link_keys` and `shingle_df` once they hold a share of
-- the store (`redflag_store::relink`). Keys are hashes, so each new ad's keys land at random places in an
-- index of tens of millions of rows: written there directly, 10,000 new ads touched most pages of both
-- tables, and the write cost grew with the store instead of with the new ads. Same conventions as 0001.

-- @sqlite
CREATE TABLE ad_link_keys_recent (
    ad_id BIGINT NOT NULL REFERENCES ads(id),
    link_key BIGINT NOT NULL,
    PRIMARY KEY (ad_id, link_key)
) WITHOUT ROWID;
-- @postgres
CREATE TABLE ad_link_keys_recent (
    ad_id BIGINT NOT NULL REFERENCES ads(id),
    link_key BIGINT NOT NULL,
    PRIMARY KEY (ad_id, link_key)
);
-- @both
CREATE INDEX ad_link_keys_recent_key ON ad_link_keys_recent (link_key, ad_id);

-- Changes to `shingle_df` not merged yet (an ad's old version counted there is taken off here, so a
-- count may be negative); a shingle's count is the sum of its rows in both tables.
-- @sqlite
CREATE TABLE shingle_df_recent (
    shingle BIGINT PRIMARY KEY,
    ads BIGINT NOT NULL
) WITHOUT ROWID;
-- @postgres
CREATE TABLE shingle_df_recent (
    shingle BIGINT PRIMARY KEY,
    ads BIGINT NOT NULL
);
