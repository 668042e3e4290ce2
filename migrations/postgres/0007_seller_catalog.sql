-- Sellers run their catalogue: a product is listed (for sale), hidden (kept, not shown) or
-- archived (retired: gone from the storefront, kept for past orders and reviews); each has a
-- low-stock threshold that tells its seller when a sale brings the stock down to it.
ALTER TABLE products ADD COLUMN status TEXT NOT NULL DEFAULT 'listed' CHECK (status IN ('listed', 'hidden', 'archived'));
ALTER TABLE products ADD COLUMN low_stock BIGINT NOT NULL DEFAULT 3 CHECK (low_stock >= 0);
ALTER TABLE products ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX products_by_shop_status ON products (shop_id, status);

-- "Notify me when it is back": one request per person and product, answered once.
CREATE TABLE stock_alerts (
    product_id  BIGINT NOT NULL REFERENCES products (id),
    user_id     BIGINT NOT NULL REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    notified_at BIGINT,
    PRIMARY KEY (product_id, user_id)
);
CREATE INDEX stock_alerts_waiting ON stock_alerts (product_id) WHERE notified_at IS NULL;

-- A notification about a product (low stock for its seller, back in stock for a buyer).
ALTER TABLE notifications ADD COLUMN product_id BIGINT REFERENCES products (id);

-- Units sold per product (the stock page).
CREATE INDEX order_items_by_product ON order_items (product_id, order_id);
