-- Redflag schema, version 4: network evidence. Same conventions as 0001.

-- How strong each link is, 0–1: 1 for a shared contact, the text similarity for a template link.
ALTER TABLE links ADD COLUMN strength @REAL@ NOT NULL DEFAULT 1;

-- What the group an ad is linked into is: `network` (a network of concern) or `same_advertiser` (one
-- advertiser's own postings). NULL when the ad is linked to no other ad.
ALTER TABLE ads ADD COLUMN cluster_kind TEXT;
