-- An order keeps the seller's texts it was bought under in both languages: its shop's return
-- policy and each line's product name, as the original (in its language) and the seller's version
-- in the other language (optional). A reader gets their language when the seller wrote it.
ALTER TABLE orders ADD COLUMN return_policy_language TEXT NOT NULL DEFAULT 'en' CHECK (return_policy_language IN ('en', 'fr'));
ALTER TABLE orders ADD COLUMN return_policy_translated TEXT;
ALTER TABLE order_items ADD COLUMN product_name_language TEXT NOT NULL DEFAULT 'en' CHECK (product_name_language IN ('en', 'fr'));
ALTER TABLE order_items ADD COLUMN product_name_translated TEXT;
-- Earlier orders: the policy was copied from its shop, so the shop's language is its language, and
-- the shop's translation is its translation while the shop's policy is still the one copied.
UPDATE orders SET return_policy_language = (SELECT s.text_language FROM shops s WHERE s.id = orders.shop_id);
UPDATE orders SET return_policy_translated = (SELECT s.return_policy_translated FROM shops s WHERE s.id = orders.shop_id AND s.return_policy = orders.return_policy);
-- Earlier lines kept the name in the buyer's language: the product's original name or its
-- translation. Either way both are known while the product still has those names.
UPDATE order_items SET product_name_language = COALESCE((SELECT p.text_language FROM products p WHERE p.id = order_items.product_id), 'en');
UPDATE order_items SET product_name_translated = product_name, product_name = (SELECT p.name FROM products p WHERE p.id = order_items.product_id)
    WHERE EXISTS (SELECT 1 FROM products p WHERE p.id = order_items.product_id AND p.name_translated = order_items.product_name AND p.name <> order_items.product_name);
UPDATE order_items SET product_name_translated = (SELECT p.name_translated FROM products p WHERE p.id = order_items.product_id AND p.name = order_items.product_name)
    WHERE product_name_translated IS NULL;
