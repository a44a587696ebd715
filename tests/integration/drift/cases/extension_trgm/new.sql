CREATE EXTENSION pg_trgm;
CREATE TABLE products (id int PRIMARY KEY, name text, attrs text);
CREATE INDEX products_name_trgm ON products USING gin (name gin_trgm_ops);
