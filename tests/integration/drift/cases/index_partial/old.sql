CREATE TABLE orders (id bigint PRIMARY KEY, status text, customer_id bigint);
CREATE INDEX orders_open_idx ON orders (customer_id) WHERE status = 'new';
