CREATE TABLE products (id int PRIMARY KEY, price numeric CHECK (price >= 0), qty int, CONSTRAINT qty_positive CHECK (qty > 0));
