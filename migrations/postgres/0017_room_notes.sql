-- What Troika itself writes in a claim's room or a conversation (a claim opened, a mediator stepping
-- in, a decision, a missed answer…) is kept as its kind and values (JSON), so each reader sees it in
-- their own language; `body` keeps the English text. Rows written before have no values and keep
-- their text.
ALTER TABLE claim_entries ADD COLUMN note_args TEXT;
ALTER TABLE thread_entries ADD COLUMN note_args TEXT;
