-- Buyer–seller conversations ("threads"): a question about a product before buying, or a message
-- about an order after it. Each has a room like a claim's (entries numbered per thread, read
-- markers), the seller's answer clock (`answer_clocks`: one per buyer message waiting for an
-- answer, counted in the seller's performance), saved replies, and e-mail notices sent through an
-- outbox. Kept in lock-step with ../postgres/0011_conversations.sql. Times are UTC ms.

CREATE TABLE threads (
    id              INTEGER PRIMARY KEY,
    shop_id         BIGINT  NOT NULL REFERENCES shops (id),
    buyer_id        BIGINT  NOT NULL REFERENCES users (id),
    -- A question before buying names its product; a message after buying names its order.
    product_id      BIGINT  REFERENCES products (id),
    order_id        BIGINT  REFERENCES orders (id),
    -- product | where_is_order | return | invoice | other
    topic           TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    last_message_at BIGINT  NOT NULL,
    -- The newest message of each side (what the other side has not read yet).
    last_buyer_seq  BIGINT  NOT NULL DEFAULT 0,
    last_seller_seq BIGINT  NOT NULL DEFAULT 0,
    -- The buyer's first message the seller has not answered yet, and when the answer is due.
    waiting_since   BIGINT,
    answer_due      BIGINT,
    -- Set when the conversation became a claim (mediators read it from then on).
    claim_id        BIGINT  REFERENCES claims (id),
    -- The room's sequence (see claims.room_seq).
    room_seq        BIGINT  NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX threads_one_per_order ON threads (order_id) WHERE order_id IS NOT NULL;
CREATE UNIQUE INDEX threads_one_per_question ON threads (buyer_id, product_id) WHERE order_id IS NULL;
CREATE INDEX threads_by_shop ON threads (shop_id, last_message_at);
CREATE INDEX threads_by_buyer ON threads (buyer_id, last_message_at);

CREATE TABLE thread_entries (
    thread_id  BIGINT NOT NULL REFERENCES threads (id),
    seq        BIGINT NOT NULL,
    -- message | no_answer_needed | claim_opened | answer_late
    kind       TEXT   NOT NULL,
    author_id  BIGINT REFERENCES users (id),
    -- buyer | seller | system
    party      TEXT   NOT NULL,
    body       TEXT   NOT NULL,
    -- What the screening found (contact details, links): JSON, shown to the sender and to staff.
    flags      TEXT   NOT NULL DEFAULT '[]',
    -- A photo sent with the message (thread_photos.id).
    photo_id   BIGINT,
    client_id  TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (thread_id, seq),
    UNIQUE (thread_id, author_id, client_id)
);

CREATE TABLE thread_reads (
    thread_id BIGINT NOT NULL REFERENCES threads (id),
    user_id   BIGINT NOT NULL REFERENCES users (id),
    seq       BIGINT NOT NULL,
    PRIMARY KEY (thread_id, user_id)
);

-- A photo in a conversation, stored like a product's (WebP copies), readable by the thread's parties.
CREATE TABLE thread_photos (
    id          INTEGER PRIMARY KEY,
    thread_id   BIGINT  NOT NULL REFERENCES threads (id),
    uploader_id BIGINT  NOT NULL REFERENCES users (id),
    width       BIGINT  NOT NULL,
    height      BIGINT  NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE TABLE thread_photo_variants (
    photo_id BIGINT NOT NULL REFERENCES thread_photos (id),
    width    BIGINT NOT NULL,
    height   BIGINT NOT NULL,
    bytes    BLOB   NOT NULL,
    PRIMARY KEY (photo_id, width)
);

-- The seller's answer clock: from a buyer's message that waits for an answer to the seller's
-- answer, or to "no answer needed". The deadline job marks a missed one once (missed_at).
CREATE TABLE answer_clocks (
    id                  INTEGER PRIMARY KEY,
    thread_id           BIGINT  NOT NULL REFERENCES threads (id),
    shop_id             BIGINT  NOT NULL REFERENCES shops (id),
    asked_at            BIGINT  NOT NULL,
    due_at              BIGINT  NOT NULL,
    answered_at         BIGINT,
    no_answer_needed_at BIGINT,
    missed_at           BIGINT,
    -- The conversation became a claim first: the claim's own answer deadline counts instead.
    claimed_at          BIGINT
);
CREATE INDEX answer_clocks_by_shop ON answer_clocks (shop_id, asked_at);
CREATE INDEX answer_clocks_running ON answer_clocks (due_at) WHERE answered_at IS NULL AND no_answer_needed_at IS NULL AND claimed_at IS NULL AND missed_at IS NULL;
CREATE UNIQUE INDEX answer_clocks_one_running ON answer_clocks (thread_id) WHERE answered_at IS NULL AND no_answer_needed_at IS NULL AND claimed_at IS NULL;

CREATE TABLE saved_replies (
    id         INTEGER PRIMARY KEY,
    shop_id    BIGINT  NOT NULL REFERENCES shops (id),
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);
CREATE INDEX saved_replies_by_shop ON saved_replies (shop_id, id);

-- E-mail notices: at most one per person and thread per batch window; sent by the job on any
-- server (a send is claimed with a lease, retried with back-off, marked sent once).
CREATE TABLE email_outbox (
    id           INTEGER PRIMARY KEY,
    user_id      BIGINT  NOT NULL REFERENCES users (id),
    thread_id    BIGINT  REFERENCES threads (id),
    -- message | answer_late
    kind         TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    -- Notices for the same person and thread within the window fold into one (batch key).
    batch_key    TEXT    NOT NULL UNIQUE,
    created_at   BIGINT  NOT NULL,
    send_after   BIGINT  NOT NULL,
    attempts     BIGINT  NOT NULL DEFAULT 0,
    leased_until BIGINT,
    last_error   TEXT,
    sent_at      BIGINT
);
CREATE INDEX email_outbox_due ON email_outbox (send_after) WHERE sent_at IS NULL;

-- Notifications about a conversation link to it.
ALTER TABLE notifications ADD COLUMN thread_id BIGINT REFERENCES threads (id);
-- A claim opened from a conversation keeps it (the mediator reads it).
ALTER TABLE claims ADD COLUMN thread_id BIGINT REFERENCES threads (id);
-- Who opened the claim: the buyer, or the seller asking the marketplace to step in (from a conversation).
ALTER TABLE claims ADD COLUMN opened_by TEXT NOT NULL DEFAULT 'buyer';
