CREATE DOMAIN sku_code AS varchar(12) CHECK (VALUE <> '');
CREATE TABLE products (id int PRIMARY KEY, sku sku_code NOT NULL DEFAULT 'x');
CREATE VIEW skus AS SELECT sku FROM products;
INSERT INTO products VALUES (1, 'abcdefghij');
