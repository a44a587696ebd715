CREATE TABLE orders (id bigint PRIMARY KEY, status text, total numeric);
CREATE VIEW open_orders AS SELECT id, status, total FROM orders WHERE status IN ('new', 'paid');
CREATE VIEW open_totals AS SELECT sum(total) AS total FROM open_orders;
CREATE VIEW paid_orders WITH (security_barrier = true) AS SELECT id FROM orders WHERE status = 'paid' WITH LOCAL CHECK OPTION;
COMMENT ON VIEW open_totals IS 'sum of open orders';
