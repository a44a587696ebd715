CREATE TABLE products (id int PRIMARY KEY, price numeric(12,2), name text);
CREATE VIEW cheap_products AS SELECT id, name, price FROM products WHERE price < 10;
CREATE VIEW cheap_names AS SELECT name FROM cheap_products;
CREATE MATERIALIZED VIEW price_stats AS SELECT max(price) AS top FROM products;
CREATE VIEW unrelated AS SELECT id FROM products;
COMMENT ON VIEW cheap_products IS 'under ten';
CREATE INDEX price_stats_top_idx ON price_stats (top);
