-- The language a person reads (French or English): chosen with the switcher, kept on the account so
-- it follows them to every device, and shown to the other side of a claim or a conversation.
-- NULL until they choose or sign up (then the language the site was shown in).
ALTER TABLE users ADD COLUMN language TEXT CHECK (language IN ('en', 'fr'));
