CREATE TABLE customers (id bigint PRIMARY KEY, country char(2) NOT NULL DEFAULT 'US', created_at timestamptz, score integer DEFAULT 0);
