-- Reviews and their moderation: reviews of a delivered order's products and the seller's public
-- replies to them (one table, so both go through the same screening, queue and decisions),
-- reports, the decisions' audit log, the Top seller badge. Kept in lock-step with
-- ../postgres/0004_reviews.sql. Times are UTC ms.

CREATE TABLE reviews (
    id                 INTEGER PRIMARY KEY,
    -- review | reply
    kind               TEXT    NOT NULL,
    -- Replies: the review answered.
    parent_id          BIGINT  REFERENCES reviews (id),
    order_id           BIGINT  NOT NULL REFERENCES orders (id),
    product_id         BIGINT  NOT NULL REFERENCES products (id),
    shop_id            BIGINT  NOT NULL REFERENCES shops (id),
    author_id          BIGINT  NOT NULL REFERENCES users (id),
    -- Reviews: the product's stars, and the seller's for the order (asked once per order).
    stars              BIGINT  CHECK (stars BETWEEN 1 AND 5),
    seller_stars       BIGINT  CHECK (seller_stars BETWEEN 1 AND 5),
    title              TEXT    NOT NULL,
    body               TEXT    NOT NULL,
    -- pending | published | rejected
    state              TEXT    NOT NULL,
    -- Why it waits for a moderator: new | edited | reported | appeal; NULL: nothing to do.
    queue              TEXT,
    queued_at          BIGINT,
    -- The automatic screening: the flags (JSON) and their summed weight (the queue's order).
    flags              TEXT    NOT NULL DEFAULT '[]',
    risk               BIGINT  NOT NULL DEFAULT 0,
    -- Bumped by every edit: a decision names the version the moderator read.
    version            BIGINT  NOT NULL DEFAULT 1,
    -- The moderator working on it (a lease: it lapses after a while).
    claimed_by         BIGINT  REFERENCES users (id),
    claimed_at         BIGINT,
    -- Appeals go to another moderator than the one who rejected.
    excluded_moderator BIGINT  REFERENCES users (id),
    reject_reason      TEXT,
    reject_note        TEXT,
    appealed           BIGINT  NOT NULL DEFAULT 0,
    appeal_text        TEXT,
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL,
    published_at       BIGINT
);
CREATE UNIQUE INDEX reviews_one_per_line ON reviews (order_id, product_id) WHERE kind = 'review';
CREATE UNIQUE INDEX reviews_one_reply ON reviews (parent_id) WHERE kind = 'reply';
CREATE INDEX reviews_queue ON reviews (risk DESC, queued_at, id) WHERE queue IS NOT NULL;
CREATE INDEX reviews_by_product ON reviews (product_id, state, published_at);
CREATE INDEX reviews_by_shop ON reviews (shop_id, state, published_at);
-- The latest texts about a shop, and by an author, for the near-duplicate check.
CREATE INDEX reviews_recent_by_shop ON reviews (shop_id, id);
CREATE INDEX reviews_by_author ON reviews (author_id, id);

CREATE TABLE review_reports (
    id          INTEGER PRIMARY KEY,
    review_id   BIGINT  NOT NULL REFERENCES reviews (id),
    reporter_id BIGINT  NOT NULL REFERENCES users (id),
    reason      TEXT    NOT NULL,
    note        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    -- Set when a moderator has judged the review with this report in front of them.
    resolved_at BIGINT,
    UNIQUE (review_id, reporter_id)
);

-- The audit log: who decided what, when, why, on which text.
CREATE TABLE review_decisions (
    id           INTEGER PRIMARY KEY,
    review_id    BIGINT  NOT NULL REFERENCES reviews (id),
    moderator_id BIGINT  NOT NULL REFERENCES users (id),
    -- approved | rejected
    action       TEXT    NOT NULL,
    reason       TEXT,
    note         TEXT    NOT NULL,
    -- What the moderator judged: why it was in the queue, the flags, the text and stars as they were.
    queue        TEXT    NOT NULL,
    flags        TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    stars        BIGINT,
    version      BIGINT  NOT NULL,
    decided_at   BIGINT  NOT NULL
);
CREATE INDEX review_decisions_by_review ON review_decisions (review_id, id);
CREATE INDEX review_decisions_by_time ON review_decisions (decided_at);

-- Ratings are recomputed from published reviews only: start from nothing.
UPDATE products SET rating_sum = 0, rating_count = 0;
UPDATE shops SET rating_sum = 0, rating_count = 0;
ALTER TABLE shops ADD COLUMN top_seller BIGINT NOT NULL DEFAULT 0;
ALTER TABLE shops ADD COLUMN badge_checked_at BIGINT NOT NULL DEFAULT 0;

-- Notifications about a review lead to it.
ALTER TABLE notifications ADD COLUMN review_id BIGINT REFERENCES reviews (id);
