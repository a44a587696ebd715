CREATE TABLE products (id bigint PRIMARY KEY, price numeric(12,2) NOT NULL CHECK (price >= 0), sku varchar(40));
