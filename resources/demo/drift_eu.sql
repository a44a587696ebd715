-- eu drift: an extra index and a changed default.
CREATE INDEX orders_status_idx ON orders (status);
ALTER TABLE customers ALTER COLUMN country SET DEFAULT 'DE';
