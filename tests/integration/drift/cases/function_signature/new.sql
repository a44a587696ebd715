CREATE TABLE orders (id int PRIMARY KEY, total numeric);
CREATE FUNCTION order_total(order_id bigint, with_tax boolean DEFAULT false) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT total FROM orders WHERE id = order_id $$;
CREATE FUNCTION ratio(a int) RETURNS bigint LANGUAGE sql AS $$ SELECT a::bigint $$;
CREATE VIEW big_ratio AS SELECT ratio(id) AS r FROM orders;
CREATE FUNCTION added_fn(x int, y int) RETURNS int LANGUAGE sql AS $$ SELECT x + y $$;
