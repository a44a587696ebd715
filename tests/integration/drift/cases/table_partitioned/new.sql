CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE events (id bigint NOT NULL, at timestamptz NOT NULL, customer_id bigint REFERENCES customers (id), payload jsonb,
    PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_default PARTITION OF events DEFAULT;
CREATE INDEX events_customer_idx ON events (customer_id);
