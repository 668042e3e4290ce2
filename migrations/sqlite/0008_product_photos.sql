-- Product photos, stored in the database so every app server serves every one: each photo's
-- copies at a few widths, WebP, metadata stripped. `products.image` names the main picture
-- (a photo as /photos/<id>, or the category's drawing) with its size, for pages without layout shift.
CREATE TABLE product_photos (
    id         INTEGER PRIMARY KEY,
    product_id BIGINT  NOT NULL REFERENCES products (id),
    position   BIGINT  NOT NULL,
    width      BIGINT  NOT NULL,
    height     BIGINT  NOT NULL,
    created_at BIGINT  NOT NULL
);
CREATE INDEX product_photos_by_product ON product_photos (product_id, position);

CREATE TABLE photo_variants (
    photo_id BIGINT NOT NULL REFERENCES product_photos (id),
    width    BIGINT NOT NULL,
    height   BIGINT NOT NULL,
    bytes    BLOB   NOT NULL,
    PRIMARY KEY (photo_id, width)
);

ALTER TABLE products ADD COLUMN image_width BIGINT NOT NULL DEFAULT 320;
ALTER TABLE products ADD COLUMN image_height BIGINT NOT NULL DEFAULT 240;
