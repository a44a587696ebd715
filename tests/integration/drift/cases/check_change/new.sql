CREATE TABLE products (id int PRIMARY KEY, price numeric CHECK (price > 0), qty int, CONSTRAINT qty_range CHECK (qty BETWEEN 1 AND 1000) NOT VALID);
