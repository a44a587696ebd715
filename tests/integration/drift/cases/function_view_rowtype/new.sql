CREATE TABLE orders (id int PRIMARY KEY, total numeric, status text);
CREATE VIEW open_orders AS SELECT id, total FROM orders WHERE status = 'open';
CREATE FUNCTION big_open_orders(threshold numeric) RETURNS SETOF open_orders LANGUAGE sql STABLE
    AS $$ SELECT * FROM open_orders WHERE total > threshold $$;
CREATE FUNCTION open_total() RETURNS numeric LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT sum(total) FROM open_orders;
END;
CREATE VIEW big_open_order_ids AS SELECT id FROM big_open_orders(100);
