-- What sellers earn. The marketplace's commission is a rate per category (basis points: 1000 =
-- 10 %), set by an admin (every change kept in commission_changes); each order line keeps the
-- rate of its sale. A completed order's net (items and shipping, less commission and refunds)
-- goes into its shop's ledger; a refund after that is a debit; payouts (simulated) take what is
-- payable. Money in integer cents.
ALTER TABLE categories ADD COLUMN commission_bp BIGINT NOT NULL DEFAULT 1000 CHECK (commission_bp >= 0 AND commission_bp <= 5000);
ALTER TABLE order_items ADD COLUMN commission_bp BIGINT NOT NULL DEFAULT 0;
UPDATE order_items SET commission_bp = (
    SELECT c.commission_bp FROM products p JOIN categories c ON c.id = p.category_id WHERE p.id = order_items.product_id
);

CREATE TABLE commission_changes (
    id          INTEGER PRIMARY KEY,
    category_id BIGINT  NOT NULL REFERENCES categories (id),
    actor_id    BIGINT  NOT NULL REFERENCES users (id),
    from_bp     BIGINT  NOT NULL,
    to_bp       BIGINT  NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE payouts (
    id           INTEGER PRIMARY KEY,
    shop_id      BIGINT  NOT NULL REFERENCES shops (id),
    amount_cents BIGINT  NOT NULL CHECK (amount_cents > 0),
    actor_id     BIGINT  REFERENCES users (id),
    created_at   BIGINT  NOT NULL
);
CREATE INDEX payouts_by_shop ON payouts (shop_id, created_at);

-- kind: sale (+ the completed order's net before refunds) | refund (− a refund less the
-- commission returned with it). `ref` makes each posting once, whichever server posts it.
CREATE TABLE ledger_entries (
    id           INTEGER PRIMARY KEY,
    shop_id      BIGINT  NOT NULL REFERENCES shops (id),
    order_id     BIGINT  NOT NULL REFERENCES orders (id),
    kind         TEXT    NOT NULL CHECK (kind IN ('sale', 'refund')),
    ref          TEXT    NOT NULL UNIQUE,
    amount_cents BIGINT  NOT NULL,
    -- What the order's refunds came to when this was posted (the next refund posts the rest).
    refunded_upto BIGINT NOT NULL,
    payout_id    BIGINT  REFERENCES payouts (id),
    created_at   BIGINT  NOT NULL
);
CREATE INDEX ledger_by_shop ON ledger_entries (shop_id, created_at);
CREATE INDEX ledger_unpaid ON ledger_entries (shop_id) WHERE payout_id IS NULL;
CREATE INDEX ledger_by_order ON ledger_entries (order_id);
