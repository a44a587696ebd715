CREATE TABLE orders (id int PRIMARY KEY, total numeric);
CREATE FUNCTION order_total(order_id int) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT total FROM orders WHERE id = order_id $$;
CREATE FUNCTION ratio(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;
CREATE VIEW big_ratio AS SELECT ratio(id) AS r FROM orders;
CREATE FUNCTION dropped_fn() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
