CREATE TABLE customers (id bigint PRIMARY KEY, email text);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE VIEW order_customers AS SELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id;
