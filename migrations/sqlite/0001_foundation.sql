-- Troika foundation: accounts, sessions, shops, catalog, carts, purchases and orders.
-- Kept in lock-step with ../postgres/0001_foundation.sql. Times are UTC milliseconds since the epoch;
-- money is integer cents.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('buyer', 'seller', 'mediator', 'moderator', 'admin')),
    created_at    BIGINT  NOT NULL
);

CREATE TABLE sessions (
    id         TEXT   PRIMARY KEY,
    data       TEXT   NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE shops (
    id            INTEGER PRIMARY KEY,
    owner_id      BIGINT  NOT NULL UNIQUE REFERENCES users (id),
    slug          TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    city          TEXT    NOT NULL,
    country       TEXT    NOT NULL,
    description   TEXT    NOT NULL,
    return_policy TEXT    NOT NULL,
    return_days   BIGINT  NOT NULL CHECK (return_days >= 0),
    handling_days BIGINT  NOT NULL CHECK (handling_days >= 0),
    shipping_cents BIGINT NOT NULL CHECK (shipping_cents >= 0),
    rating_sum    BIGINT  NOT NULL DEFAULT 0,
    rating_count  BIGINT  NOT NULL DEFAULT 0,
    created_at    BIGINT  NOT NULL
);

CREATE TABLE categories (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    position    BIGINT  NOT NULL
);

CREATE TABLE products (
    id           INTEGER PRIMARY KEY,
    shop_id      BIGINT  NOT NULL REFERENCES shops (id),
    category_id  BIGINT  NOT NULL REFERENCES categories (id),
    name         TEXT    NOT NULL,
    description  TEXT    NOT NULL,
    price_cents  BIGINT  NOT NULL CHECK (price_cents > 0),
    stock        BIGINT  NOT NULL CHECK (stock >= 0),
    image        TEXT    NOT NULL,
    rating_sum   BIGINT  NOT NULL DEFAULT 0,
    rating_count BIGINT  NOT NULL DEFAULT 0,
    -- Case- and accent-folded copies of the text, written by the application, indexed for search.
    search_name  TEXT    NOT NULL,
    search_body  TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL
);
CREATE INDEX products_by_category ON products (category_id, created_at);
CREATE INDEX products_by_shop ON products (shop_id);
CREATE INDEX products_by_price ON products (price_cents);

CREATE VIRTUAL TABLE products_fts USING fts5 (
    search_name, search_body, content = 'products', content_rowid = 'id', tokenize = 'unicode61'
);
CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
    INSERT INTO products_fts (rowid, search_name, search_body) VALUES (new.id, new.search_name, new.search_body);
END;
CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
    INSERT INTO products_fts (products_fts, rowid, search_name, search_body)
    VALUES ('delete', old.id, old.search_name, old.search_body);
END;
CREATE TRIGGER products_fts_update AFTER UPDATE OF search_name, search_body ON products BEGIN
    INSERT INTO products_fts (products_fts, rowid, search_name, search_body)
    VALUES ('delete', old.id, old.search_name, old.search_body);
    INSERT INTO products_fts (rowid, search_name, search_body) VALUES (new.id, new.search_name, new.search_body);
END;

CREATE TABLE cart_items (
    user_id    BIGINT NOT NULL REFERENCES users (id),
    product_id BIGINT NOT NULL REFERENCES products (id),
    quantity   BIGINT NOT NULL CHECK (quantity > 0),
    added_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, product_id)
);

CREATE TABLE purchases (
    id                INTEGER PRIMARY KEY,
    buyer_id          BIGINT  NOT NULL REFERENCES users (id),
    idempotency_key   TEXT    NOT NULL,
    total_cents       BIGINT  NOT NULL,
    payment_reference TEXT    NOT NULL,
    created_at        BIGINT  NOT NULL,
    UNIQUE (buyer_id, idempotency_key)
);

CREATE TABLE orders (
    id             INTEGER PRIMARY KEY,
    purchase_id    BIGINT  NOT NULL REFERENCES purchases (id),
    buyer_id       BIGINT  NOT NULL REFERENCES users (id),
    shop_id        BIGINT  NOT NULL REFERENCES shops (id),
    status         TEXT    NOT NULL,
    subtotal_cents BIGINT  NOT NULL,
    shipping_cents BIGINT  NOT NULL,
    total_cents    BIGINT  NOT NULL,
    ship_full_name TEXT    NOT NULL,
    ship_line1     TEXT    NOT NULL,
    ship_line2     TEXT    NOT NULL,
    ship_city      TEXT    NOT NULL,
    ship_postcode  TEXT    NOT NULL,
    ship_country   TEXT    NOT NULL,
    ship_phone     TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL
);
CREATE INDEX orders_by_buyer ON orders (buyer_id, created_at);
CREATE INDEX orders_by_shop ON orders (shop_id, status);

CREATE TABLE order_items (
    id               INTEGER PRIMARY KEY,
    order_id         BIGINT  NOT NULL REFERENCES orders (id),
    product_id       BIGINT  NOT NULL REFERENCES products (id),
    product_name     TEXT    NOT NULL,
    unit_price_cents BIGINT  NOT NULL,
    quantity         BIGINT  NOT NULL CHECK (quantity > 0)
);
CREATE INDEX order_items_by_order ON order_items (order_id);

-- The status history: one row per change, never updated. The live timeline reads this.
CREATE TABLE order_events (
    id         INTEGER PRIMARY KEY,
    order_id   BIGINT  NOT NULL REFERENCES orders (id),
    status     TEXT    NOT NULL,
    actor_id   BIGINT  REFERENCES users (id),
    note       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);
CREATE INDEX order_events_by_order ON order_events (order_id, id);

-- Which one-off data loads (the demo seed) have run: makes them idempotent across restarts and servers.
CREATE TABLE seed_runs (
    name   TEXT   PRIMARY KEY,
    ran_at BIGINT NOT NULL
);
