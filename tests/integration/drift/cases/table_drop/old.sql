CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE audit_log (id bigserial PRIMARY KEY, customer_id bigint REFERENCES customers (id), at timestamptz DEFAULT now());
CREATE INDEX audit_log_at_idx ON audit_log (at);
INSERT INTO customers VALUES (1);
INSERT INTO audit_log (customer_id) VALUES (1);
