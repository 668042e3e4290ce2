-- Search moves to an index inside each app server (tantivy: typos, stemming, one ranking on every
-- database). The database keeps the order in which products' searchable text changed: every write
-- to a product's name, description or category, or to its shop's city, gives the product the next
-- `search_seq` (from the one counter row, inside the writing transaction), and every app server
-- indexes what changed after its cursor.
DROP TRIGGER products_fts_insert;
DROP TRIGGER products_fts_delete;
DROP TRIGGER products_fts_update;
DROP TABLE products_fts;
ALTER TABLE products DROP COLUMN search_name;
ALTER TABLE products DROP COLUMN search_body;

CREATE TABLE search_counter (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT  NOT NULL
);
ALTER TABLE products ADD COLUMN search_seq BIGINT NOT NULL DEFAULT 0;
UPDATE products SET search_seq = id;
INSERT INTO search_counter (id, seq) VALUES (1, (SELECT COALESCE(MAX(id), 0) FROM products));
CREATE INDEX products_by_search_seq ON products (search_seq);
