-- Redflag schema, version 9: ad images as evidence. Same conventions as 0001.

-- Each distinct picture once, by the SHA-256 of its bytes: the raw bytes as received, the content type
-- its bytes prove (never SVG), its size in pixels, its 64-bit perceptual hash (a signed BIGINT) and its
-- 8 x 8 colour thumbnail (192 bytes, RGB), which linking compares.
CREATE TABLE images (
    id @ID@,
    sha256 TEXT NOT NULL UNIQUE,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    phash BIGINT NOT NULL,
    thumb @BLOB@ NOT NULL,
    first_url TEXT NOT NULL,
    first_fetched_at BIGINT NOT NULL,
    body @BLOB@ NOT NULL
);

-- Every picture URL fetched for a site: its last outcome and the validators for a conditional request.
CREATE TABLE image_urls (
    id @ID@,
    site_id BIGINT NOT NULL REFERENCES sites(id),
    url TEXT NOT NULL,
    image_id BIGINT REFERENCES images(id),
    etag TEXT,
    last_modified TEXT,
    fetched_at BIGINT NOT NULL,
    status BIGINT,
    error TEXT,
    UNIQUE (site_id, url)
);

-- The pictures an ad version showed, in page order: the image, or why it could not be kept.
CREATE TABLE ad_images (
    ad_version_id BIGINT NOT NULL REFERENCES ad_versions(id),
    position BIGINT NOT NULL,
    url TEXT NOT NULL,
    image_id BIGINT REFERENCES images(id),
    fetched_at BIGINT NOT NULL,
    error TEXT,
    PRIMARY KEY (ad_version_id, position)
);
CREATE INDEX ad_images_image ON ad_images (image_id);
