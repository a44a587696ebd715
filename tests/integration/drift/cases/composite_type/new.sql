CREATE TYPE address AS (street text, city text, zip varchar(10), country char(2));
CREATE TYPE money_amount AS (amount numeric(12,2), currency char(3));
COMMENT ON TYPE money_amount IS 'amount with currency';
CREATE TABLE shops (id int PRIMARY KEY, addr address, price money_amount);
