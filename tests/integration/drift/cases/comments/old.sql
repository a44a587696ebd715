CREATE SCHEMA sales;
CREATE TABLE sales.orders (id int CONSTRAINT orders_pkey PRIMARY KEY, total numeric);
CREATE INDEX orders_total_idx ON sales.orders (total);
CREATE FUNCTION sales.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
CREATE TYPE sales.kind AS ENUM ('a');
COMMENT ON TABLE sales.orders IS 'old comment';
COMMENT ON COLUMN sales.orders.total IS 'gross';
COMMENT ON FUNCTION sales.f() IS 'it''s one';
