CREATE TABLE orders (id bigint PRIMARY KEY, status text, customer_id bigint);
CREATE INDEX orders_open_idx ON orders (customer_id) WHERE status IN ('new', 'paid');
CREATE INDEX orders_status_idx ON orders (status);
