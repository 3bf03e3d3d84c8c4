-- Redflag schema, version 10: indexes for the lead queue and ad pages at a million ads (measured by
-- bench/dashboard.sh). Same conventions as 0001. Version 9 is left to another change.

-- The queue's default order, riskiest first (unscored ads last), then newest: pages are read in order
-- from these indexes instead of sorting every matching ad, and the minimum-risk filter (written with the
-- same expression) and its count are ranges of them. The second serves a kind filter. `risk` itself comes
-- last so that PostgreSQL can count from the index alone (it does not read a column out of an expression).
CREATE INDEX ads_lead_order ON ads ((COALESCE(risk, -1)) DESC, last_seen DESC, id, risk);
CREATE INDEX ads_kind_lead_order ON ads (kind, (COALESCE(risk, -1)) DESC, last_seen DESC, id, risk);
-- The "newest first" order.
CREATE INDEX ads_newest ON ads (last_seen DESC, id DESC);
-- The URLs of one ad (ad pages, the export): their key starts with the site, not the ad.
CREATE INDEX ad_urls_ad ON ad_urls (ad_id);
