-- Sellers' texts in two languages. A product's name and description, and a shop's description
-- and return policy, are written in one language (`text_language`, the original); the seller may
-- add a version in the other language (`*_translated`, both or neither). A reader gets their
-- language when it exists, otherwise the original with a note saying which language it is in.
ALTER TABLE products ADD COLUMN text_language TEXT NOT NULL DEFAULT 'en' CHECK (text_language IN ('en', 'fr'));
ALTER TABLE products ADD COLUMN name_translated TEXT;
ALTER TABLE products ADD COLUMN description_translated TEXT;
ALTER TABLE shops ADD COLUMN text_language TEXT NOT NULL DEFAULT 'en' CHECK (text_language IN ('en', 'fr'));
ALTER TABLE shops ADD COLUMN description_translated TEXT;
ALTER TABLE shops ADD COLUMN return_policy_translated TEXT;
-- The marketplace's own category names in French (English in `name`, `description`).
ALTER TABLE categories ADD COLUMN name_fr TEXT;
ALTER TABLE categories ADD COLUMN description_fr TEXT;
-- An application to sell carries the shop's texts the same way.
ALTER TABLE shop_applications ADD COLUMN text_language TEXT NOT NULL DEFAULT 'en' CHECK (text_language IN ('en', 'fr'));
ALTER TABLE shop_applications ADD COLUMN description_translated TEXT;
ALTER TABLE shop_applications ADD COLUMN return_policy_translated TEXT;
