-- Sellers run their own shops: a person applies to sell and an admin approves (a shop opens) or
-- rejects with a reason; an admin suspends a shop and reinstates it; every such decision is in
-- `shop_decisions`. Shops have contact details (shown masked) and opening hours. Each order keeps
-- the return policy and handling time shown when it was bought. Notifications may be about an
-- application instead of an order. Kept in lock-step with ../postgres/0006_seller_shops.sql.

ALTER TABLE shops ADD COLUMN opening_hours TEXT NOT NULL DEFAULT '';
ALTER TABLE shops ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
ALTER TABLE shops ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
-- NULL: open; else why an admin suspended it (its products leave the storefront).
ALTER TABLE shops ADD COLUMN suspended_reason TEXT;

ALTER TABLE orders ADD COLUMN return_policy TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN return_days BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN handling_days BIGINT NOT NULL DEFAULT 0;
UPDATE orders SET
    return_policy = (SELECT s.return_policy FROM shops s WHERE s.id = orders.shop_id),
    return_days = (SELECT s.return_days FROM shops s WHERE s.id = orders.shop_id),
    handling_days = (SELECT s.handling_days FROM shops s WHERE s.id = orders.shop_id);

CREATE TABLE shop_applications (
    id             INTEGER PRIMARY KEY,
    user_id        BIGINT  NOT NULL REFERENCES users (id),
    status         TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    name           TEXT    NOT NULL,
    city           TEXT    NOT NULL,
    country        TEXT    NOT NULL,
    description    TEXT    NOT NULL,
    opening_hours  TEXT    NOT NULL,
    contact_email  TEXT    NOT NULL,
    contact_phone  TEXT    NOT NULL,
    return_policy  TEXT    NOT NULL,
    return_days    BIGINT  NOT NULL CHECK (return_days >= 0),
    handling_days  BIGINT  NOT NULL CHECK (handling_days >= 1),
    shipping_cents BIGINT  NOT NULL CHECK (shipping_cents >= 0),
    -- The admin's reason for a rejection ('' otherwise).
    reason         TEXT    NOT NULL DEFAULT '',
    decided_by     BIGINT  REFERENCES users (id),
    decided_at     BIGINT,
    shop_id        BIGINT  REFERENCES shops (id),
    created_at     BIGINT  NOT NULL
);
-- At most one application waiting per person.
CREATE UNIQUE INDEX shop_applications_one_pending ON shop_applications (user_id) WHERE status = 'pending';
CREATE INDEX shop_applications_by_status ON shop_applications (status, id);

CREATE TABLE shop_decisions (
    id             INTEGER PRIMARY KEY,
    actor_id       BIGINT  NOT NULL REFERENCES users (id),
    action         TEXT    NOT NULL CHECK (action IN ('approved', 'rejected', 'suspended', 'reinstated')),
    application_id BIGINT  REFERENCES shop_applications (id),
    shop_id        BIGINT  REFERENCES shops (id),
    reason         TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL
);
CREATE INDEX shop_decisions_by_time ON shop_decisions (created_at);

-- Notifications about an application have no order: SQLite cannot drop NOT NULL, so the table is
-- rebuilt (nothing refers to it).
CREATE TABLE notifications_new (
    id             INTEGER PRIMARY KEY,
    user_id        BIGINT  NOT NULL REFERENCES users (id),
    order_id       BIGINT  REFERENCES orders (id),
    kind           TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    dedupe_key     TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    read_at        BIGINT,
    claim_id       BIGINT  REFERENCES claims (id),
    review_id      BIGINT  REFERENCES reviews (id),
    application_id BIGINT  REFERENCES shop_applications (id),
    UNIQUE (user_id, dedupe_key)
);
INSERT INTO notifications_new (id, user_id, order_id, kind, title, body, dedupe_key, created_at, read_at, claim_id, review_id)
    SELECT id, user_id, order_id, kind, title, body, dedupe_key, created_at, read_at, claim_id, review_id FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_by_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
