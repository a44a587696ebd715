CREATE TABLE orders (id int PRIMARY KEY, status varchar(10), kind varchar);
CREATE DOMAIN grade AS varchar(2);
CREATE VIEW open_orders AS SELECT id FROM orders;
