-- Public questions and answers: a seller publishes a buyer's question and their answer on the
-- product page; it goes through the reviews' moderation (kind 'question': title = the question,
-- body = the answer), so a question has no order. Kept in lock-step with
-- ../sqlite/0012_public_questions.sql (which has to rebuild the table for the same change).
ALTER TABLE reviews ALTER COLUMN order_id DROP NOT NULL;
ALTER TABLE reviews ADD COLUMN thread_id BIGINT REFERENCES threads (id);
CREATE INDEX reviews_by_thread ON reviews (thread_id) WHERE thread_id IS NOT NULL;
