-- Redflag schema, version 11: the indicators each ad's latest score fired, one row each, so that the lead
-- queue's indicator filter is an index lookup instead of reading every ad's score JSON. Written by
-- `analysis::save_score` with the score; removed with the ad. Same conventions as 0001; the backfill
-- reads the JSON with each backend's own functions (sections below).
CREATE TABLE ad_indicators (
    ad_id BIGINT NOT NULL REFERENCES ads(id),
    indicator TEXT NOT NULL,
    PRIMARY KEY (ad_id, indicator)
);
CREATE INDEX ad_indicators_by_indicator ON ad_indicators (indicator, ad_id);

-- @sqlite
INSERT INTO ad_indicators (ad_id, indicator)
SELECT DISTINCT s.ad_id, json_extract(j.value, '$.id')
FROM scores s, json_each(s.indicators) j
WHERE s.id = (SELECT MAX(s2.id) FROM scores s2 WHERE s2.ad_id = s.ad_id)
  AND json_valid(s.indicators) AND json_extract(j.value, '$.id') IS NOT NULL;

-- @postgres
INSERT INTO ad_indicators (ad_id, indicator)
SELECT DISTINCT s.ad_id, j.value ->> 'id'
FROM scores s, jsonb_array_elements(s.indicators::jsonb) j
WHERE s.id = (SELECT MAX(s2.id) FROM scores s2 WHERE s2.ad_id = s.ad_id)
  AND j.value ->> 'id' IS NOT NULL;
