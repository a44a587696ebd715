-- us drift: a missing column and a changed type.
ALTER TABLE customers DROP COLUMN birth_date;
ALTER TABLE products ALTER COLUMN price TYPE numeric(12,2);
