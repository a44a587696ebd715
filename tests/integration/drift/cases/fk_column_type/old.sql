CREATE TABLE customers (id integer PRIMARY KEY, email text);
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id));
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE VIEW order_customers AS SELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id;
INSERT INTO customers VALUES (1, 'a@example.com');
INSERT INTO orders VALUES (1, 1);
