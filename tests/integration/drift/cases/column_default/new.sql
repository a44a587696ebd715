CREATE TABLE customers (id bigint PRIMARY KEY, country char(2) NOT NULL DEFAULT 'DE', created_at timestamptz DEFAULT now(), score integer);
