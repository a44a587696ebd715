CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE support_tickets (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    opened_at timestamptz NOT NULL DEFAULT now(),
    subject text NOT NULL CHECK (subject <> ''),
    body text
);
CREATE INDEX support_tickets_customer_idx ON support_tickets (customer_id);
COMMENT ON TABLE support_tickets IS 'Tickets';
COMMENT ON COLUMN support_tickets.body IS 'free text';
