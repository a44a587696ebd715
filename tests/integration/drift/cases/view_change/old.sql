CREATE TABLE orders (id bigint PRIMARY KEY, status text, total numeric);
CREATE VIEW open_orders AS SELECT id, total FROM orders WHERE status = 'new';
CREATE VIEW gone_view AS SELECT id FROM orders;
CREATE VIEW open_totals AS SELECT sum(total) AS total FROM open_orders;
