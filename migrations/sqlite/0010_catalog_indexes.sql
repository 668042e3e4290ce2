-- Search pages count each category's listed products and list the newest listed products first:
-- both read an index instead of every product row (measured by .ci/bench-sellers.sh with 10,000
-- products: the per-category count was 15 ms on SQLite, the floor of every search page).
CREATE INDEX products_listed_by_category ON products (category_id, status);
CREATE INDEX products_by_status_created ON products (status, created_at);
