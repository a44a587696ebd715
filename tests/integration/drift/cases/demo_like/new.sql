CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped', 'delivered', 'cancelled');
CREATE FUNCTION audit_row_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, birth_date date, country char(2) NOT NULL DEFAULT 'US');
COMMENT ON TABLE customers IS 'People who bought something; every column but id is personal data.';
CREATE TABLE products (id integer PRIMARY KEY, price numeric(10,2) NOT NULL CHECK (price >= 0));
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id), status order_status NOT NULL DEFAULT 'new');
CREATE TABLE support_tickets (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id), subject text NOT NULL);
