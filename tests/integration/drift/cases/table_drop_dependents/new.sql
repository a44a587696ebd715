CREATE TABLE customers (id int PRIMARY KEY, name text);
CREATE VIEW busy_customers AS SELECT c.name FROM customers c WHERE c.id < 0;
