-- An order keeps its shop's return policy as it was at purchase in both languages: the original
-- (`return_policy`, in `return_policy_language`) and the seller's version in the other language
-- (`return_policy_translated`, optional). A reader gets their language when the seller wrote it.
ALTER TABLE orders ADD COLUMN return_policy_language TEXT NOT NULL DEFAULT 'en' CHECK (return_policy_language IN ('en', 'fr'));
ALTER TABLE orders ADD COLUMN return_policy_translated TEXT;
-- Earlier orders: the policy was copied from its shop, so the shop's language is its language, and
-- the shop's translation is its translation while the shop's policy is still the one copied.
UPDATE orders SET return_policy_language = (SELECT s.text_language FROM shops s WHERE s.id = orders.shop_id);
UPDATE orders SET return_policy_translated = (SELECT s.return_policy_translated FROM shops s WHERE s.id = orders.shop_id AND s.return_policy = orders.return_policy);
