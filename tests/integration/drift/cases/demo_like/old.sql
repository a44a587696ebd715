CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped', 'delivered', 'cancelled');
CREATE FUNCTION audit_row_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, country char(2) NOT NULL DEFAULT 'DE');
CREATE TABLE products (id integer PRIMARY KEY, price numeric(12,2) NOT NULL CHECK (price >= 0));
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id), status order_status NOT NULL DEFAULT 'new');
CREATE INDEX orders_status_idx ON orders (status);
CREATE TRIGGER orders_audit AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit_row_change();
