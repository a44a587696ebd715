CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, legacy_code text);
INSERT INTO customers VALUES (1, 'a@example.com', 'x');
