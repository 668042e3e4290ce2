-- no-transaction
-- Public questions and answers: a seller publishes a buyer's question and their answer on the
-- product page; it goes through the reviews' moderation (kind 'question': title = the question,
-- body = the answer), so a question has no order. SQLite cannot drop NOT NULL from a column: the
-- table is rebuilt (the documented procedure: foreign keys off, copy, swap, indexes, check).
-- Kept in lock-step with ../postgres/0012_public_questions.sql.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE reviews_rebuilt (
    id                 INTEGER PRIMARY KEY,
    -- review | reply | question
    kind               TEXT    NOT NULL,
    parent_id          BIGINT  REFERENCES reviews (id),
    -- Reviews and replies: the order reviewed. Questions: none.
    order_id           BIGINT  REFERENCES orders (id),
    product_id         BIGINT  NOT NULL REFERENCES products (id),
    shop_id            BIGINT  NOT NULL REFERENCES shops (id),
    author_id          BIGINT  NOT NULL REFERENCES users (id),
    stars              BIGINT  CHECK (stars BETWEEN 1 AND 5),
    seller_stars       BIGINT  CHECK (seller_stars BETWEEN 1 AND 5),
    title              TEXT    NOT NULL,
    body               TEXT    NOT NULL,
    state              TEXT    NOT NULL,
    queue              TEXT,
    queued_at          BIGINT,
    flags              TEXT    NOT NULL DEFAULT '[]',
    risk               BIGINT  NOT NULL DEFAULT 0,
    version            BIGINT  NOT NULL DEFAULT 1,
    claimed_by         BIGINT  REFERENCES users (id),
    claimed_at         BIGINT,
    excluded_moderator BIGINT  REFERENCES users (id),
    reject_reason      TEXT,
    reject_note        TEXT,
    appealed           BIGINT  NOT NULL DEFAULT 0,
    appeal_text        TEXT,
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL,
    published_at       BIGINT,
    -- Questions: the conversation they come from.
    thread_id          BIGINT  REFERENCES threads (id)
);
INSERT INTO reviews_rebuilt (id, kind, parent_id, order_id, product_id, shop_id, author_id, stars, seller_stars, title, body,
    state, queue, queued_at, flags, risk, version, claimed_by, claimed_at, excluded_moderator, reject_reason, reject_note,
    appealed, appeal_text, created_at, updated_at, published_at)
SELECT id, kind, parent_id, order_id, product_id, shop_id, author_id, stars, seller_stars, title, body,
    state, queue, queued_at, flags, risk, version, claimed_by, claimed_at, excluded_moderator, reject_reason, reject_note,
    appealed, appeal_text, created_at, updated_at, published_at FROM reviews;
DROP TABLE reviews;
ALTER TABLE reviews_rebuilt RENAME TO reviews;
CREATE UNIQUE INDEX reviews_one_per_line ON reviews (order_id, product_id) WHERE kind = 'review';
CREATE UNIQUE INDEX reviews_one_reply ON reviews (parent_id) WHERE kind = 'reply';
CREATE INDEX reviews_queue ON reviews (risk DESC, queued_at, id) WHERE queue IS NOT NULL;
CREATE INDEX reviews_by_product ON reviews (product_id, state, published_at);
CREATE INDEX reviews_by_shop ON reviews (shop_id, state, published_at);
CREATE INDEX reviews_recent_by_shop ON reviews (shop_id, id);
CREATE INDEX reviews_by_author ON reviews (author_id, id);
CREATE INDEX reviews_by_thread ON reviews (thread_id) WHERE thread_id IS NOT NULL;
COMMIT;
PRAGMA foreign_keys = ON;
