-- Redflag schema, version 12: links found by reason. Same conventions as 0001.

-- The lead queue's job ↔ escort filter reads the few `job_escort` links (a contact carried by job ads
-- and escort ads alike, `redflag_core::link::crosskind`) rather than probing the links of every ad.
CREATE INDEX links_reason ON links (reason, ad_a, ad_b);
