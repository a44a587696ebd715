CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, birth_date date, country char(2) NOT NULL DEFAULT 'US');
COMMENT ON COLUMN customers.birth_date IS 'personal data';
