-- What Troika itself writes in an order's history (paid, shipped with a tracking number, refunded,
-- a claim's outcome) is kept as a kind and its values (JSON), so each reader sees it in their own
-- language; `note` keeps the English text (and people's own notes, as written). Rows written before
-- have no kind and keep their text.
ALTER TABLE order_events ADD COLUMN note_kind TEXT;
ALTER TABLE order_events ADD COLUMN note_args TEXT;
