-- Disputes: claims about an order, their room (messages, offers, decisions: the audit trail every
-- party reads), read markers. Kept in lock-step with ../postgres/0003_disputes.sql.
-- Times are UTC ms; money is cents.

CREATE TABLE claims (
    id                    INTEGER PRIMARY KEY,
    order_id              BIGINT  NOT NULL REFERENCES orders (id),
    buyer_id              BIGINT  NOT NULL REFERENCES users (id),
    seller_id             BIGINT  NOT NULL REFERENCES users (id),
    reason                TEXT    NOT NULL,
    wanted                TEXT    NOT NULL,
    wanted_cents          BIGINT  NOT NULL DEFAULT 0,
    state                 TEXT    NOT NULL,
    opened_at             BIGINT  NOT NULL,
    last_activity_at      BIGINT  NOT NULL,
    idle_warned           BIGINT  NOT NULL DEFAULT 0,
    -- The seller's first answer (their response-time record), and whether they let 24 h pass.
    seller_first_reply_at BIGINT,
    seller_reply_missed   BIGINT  NOT NULL DEFAULT 0,
    escalated_at          BIGINT,
    -- The mediator working the claim (one at a time).
    mediator_id           BIGINT  REFERENCES users (id),
    ended_at              BIGINT,
    -- settled | rejected | withdrawn | closed_idle, with the remedy and refund when settled.
    outcome               TEXT,
    outcome_remedy        TEXT,
    outcome_cents         BIGINT,
    -- The room's sequence: taking the next number locks the claim's row, so entries commit in order
    -- and a client that resumes "after N" never skips one.
    room_seq              BIGINT  NOT NULL DEFAULT 0
);
-- One open claim per order.
CREATE UNIQUE INDEX claims_one_open_per_order ON claims (order_id)
    WHERE state IN ('awaiting_seller', 'seller_responded', 'escalated');
CREATE INDEX claims_by_state ON claims (state, escalated_at);
CREATE INDEX claims_by_buyer ON claims (buyer_id, id);
CREATE INDEX claims_by_seller ON claims (seller_id, id);

CREATE TABLE claim_entries (
    claim_id     BIGINT NOT NULL REFERENCES claims (id),
    seq          BIGINT NOT NULL,
    -- message | note | offer | offer_accepted | offer_declined | opened | escalated | mediator_joined
    -- | decision | withdrawn | idle_warning | closed
    kind         TEXT   NOT NULL,
    author_id    BIGINT REFERENCES users (id),
    party        TEXT   NOT NULL,
    -- all | buyer | seller | mediators: who may read it.
    audience     TEXT   NOT NULL,
    body         TEXT   NOT NULL,
    remedy       TEXT,
    remedy_cents BIGINT,
    -- Offers: pending | accepted | declined | superseded.
    offer_state  TEXT,
    -- Answers to an offer: the offer's seq.
    refers_to    BIGINT,
    -- The sender's id for the message: a retried send with the same id is stored once.
    client_id    TEXT,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (claim_id, seq),
    UNIQUE (claim_id, author_id, client_id)
);

CREATE TABLE claim_reads (
    claim_id BIGINT NOT NULL REFERENCES claims (id),
    user_id  BIGINT NOT NULL REFERENCES users (id),
    seq      BIGINT NOT NULL,
    PRIMARY KEY (claim_id, user_id)
);

-- Notifications about a claim link to its room.
ALTER TABLE notifications ADD COLUMN claim_id BIGINT REFERENCES claims (id);
