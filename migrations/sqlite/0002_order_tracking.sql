-- Live order tracking: deadlines, shipment, refunds; the per-user live feed; notifications.
-- Kept in lock-step with ../postgres/0002_order_tracking.sql. Times are UTC ms; money is cents.

ALTER TABLE orders ADD COLUMN accept_by BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN ship_by BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN carrier TEXT;
ALTER TABLE orders ADD COLUMN tracking_number TEXT;
ALTER TABLE orders ADD COLUMN shipped_at BIGINT;
ALTER TABLE orders ADD COLUMN delivered_at BIGINT;
ALTER TABLE orders ADD COLUMN refunded_cents BIGINT NOT NULL DEFAULT 0;
-- Set once the buyer and seller have been told the order is late to ship.
ALTER TABLE orders ADD COLUMN late_notified_at BIGINT;
-- Orders placed before this migration: 24 h to accept, the handling time (as whole days) to ship.
UPDATE orders SET accept_by = created_at + 86400000,
    ship_by = created_at + 86400000 * (SELECT CASE WHEN s.handling_days < 1 THEN 1 ELSE s.handling_days END FROM shops s WHERE s.id = orders.shop_id);
CREATE INDEX orders_by_status ON orders (status, accept_by);

-- Each user's live feed has its own sequence: taking the next number locks the user's row, so
-- numbers commit in order and a client that resumes "after N" never skips one.
ALTER TABLE users ADD COLUMN feed_seq BIGINT NOT NULL DEFAULT 0;

CREATE TABLE user_feed (
    user_id    BIGINT NOT NULL REFERENCES users (id),
    seq        BIGINT NOT NULL,
    order_id   BIGINT NOT NULL REFERENCES orders (id),
    status     TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, seq)
);
CREATE INDEX user_feed_by_age ON user_feed (created_at);

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT  NOT NULL REFERENCES users (id),
    order_id   BIGINT  NOT NULL REFERENCES orders (id),
    kind       TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    -- One notification per event per recipient: the history entry ("event:12") or the condition ("late:7").
    dedupe_key TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    read_at    BIGINT,
    UNIQUE (user_id, dedupe_key)
);
CREATE INDEX notifications_by_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
