-- PostgreSQL twin of migrations/0006_page_hashes.sql (the same statements).
-- Near-duplicate pages (issue 20): the same paper scanned twice. What is kept of a
-- recognised page to find its twins belongs to its prepared image (content-addressed), not
-- to a (document, number): the hash follows the page when a file is split into documents or
-- a clerk moves a boundary, which copy or renumber page rows but keep their image.
-- image_hash is neardup.ImageHash (64 bits, stored signed); text_minhash the hex MinHash of
-- the text's word pairs and shingles how many there were. Links are not stored: they are
-- found when a document is read, so a page recognised later links both ways at once.
CREATE TABLE page_hashes (
    image         TEXT PRIMARY KEY,
    image_hash    BIGINT NOT NULL,
    text_minhash  TEXT NOT NULL,
    shingles      INTEGER NOT NULL
);

-- The MinHash bands of each page (neardup.TextSignature.Bands): pages sharing a band are the
-- candidates compared, so a read never scans every page.
CREATE TABLE page_hash_bands (
    band   BIGINT NOT NULL,
    image  TEXT NOT NULL REFERENCES page_hashes(image),
    PRIMARY KEY (band, image)
);
CREATE INDEX page_hash_bands_image ON page_hash_bands (image);
CREATE INDEX pages_image ON pages (image);
