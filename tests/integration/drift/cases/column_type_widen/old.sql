CREATE TABLE products (id integer PRIMARY KEY, price numeric(10,2) NOT NULL CHECK (price >= 0), sku varchar(10));
