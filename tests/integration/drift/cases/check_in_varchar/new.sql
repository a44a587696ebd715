CREATE TABLE orders (id int PRIMARY KEY, status varchar(10) CONSTRAINT orders_status_check CHECK (status IN ('new', 'paid', 'shipped')),
    kind varchar CONSTRAINT orders_kind_check CHECK (kind NOT IN ('x', 'y')));
CREATE DOMAIN grade AS varchar(2) CONSTRAINT grade_check CHECK (VALUE IN ('A', 'B', 'C'));
CREATE VIEW open_orders AS SELECT id FROM orders WHERE status IN ('new', 'paid');
CREATE INDEX orders_open_idx ON orders (id) WHERE status IN ('new', 'paid');
