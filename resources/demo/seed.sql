-- EnvSync demo shop: realistic, PII-like, fully deterministic data (the same on every cluster).
-- Scale: SET envsync.demo_rows = N before running (orders = N, customers = N / 4).
-- All row arithmetic is bigint: 2,000,000 orders overflowed integer (i * 7919 for customers).
-- envsync.demo_first_id (optional, default 0) shifts every generated id by a constant, so a test
-- can run the same arithmetic past 2^31 with a few hundred rows instead of billions.
SET client_min_messages = warning;

CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped', 'delivered', 'cancelled');

CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END $$;

CREATE FUNCTION audit_row_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE DEBUG '% on %', TG_OP, TG_TABLE_NAME;
    RETURN NEW;
END $$;

CREATE TABLE customers (
    id          bigint PRIMARY KEY,
    first_name  text NOT NULL,
    last_name   text NOT NULL,
    full_name   text NOT NULL,
    email       text NOT NULL UNIQUE,
    phone       text,
    birth_date  date,
    street      text,
    city        text,
    postal_code text,
    country     char(2) NOT NULL DEFAULT 'US',
    iban        text,
    card_number text,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
COMMENT ON TABLE customers IS 'People who bought something; every column but id is personal data.';

CREATE TABLE products (
    id       integer PRIMARY KEY,
    sku      text NOT NULL UNIQUE,
    name     text NOT NULL,
    category text NOT NULL,
    price    numeric(10,2) NOT NULL CHECK (price >= 0)
);

CREATE TABLE orders (
    id          bigint PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    ordered_at  timestamptz NOT NULL,
    status      order_status NOT NULL DEFAULT 'new',
    total       numeric(12,2) NOT NULL DEFAULT 0,
    ship_to     text
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);

CREATE TABLE order_items (
    order_id   bigint  NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no    integer NOT NULL,
    product_id integer NOT NULL REFERENCES products (id),
    quantity   integer NOT NULL CHECK (quantity > 0),
    unit_price numeric(10,2) NOT NULL,
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE payments (
    id         bigint PRIMARY KEY,
    order_id   bigint NOT NULL REFERENCES orders (id),
    amount     numeric(12,2) NOT NULL,
    method     text NOT NULL,
    card_last4 char(4),
    paid_at    timestamptz NOT NULL
);
CREATE INDEX payments_order_id_idx ON payments (order_id);

CREATE TABLE shipments (
    id          bigint PRIMARY KEY,
    order_id    bigint NOT NULL REFERENCES orders (id),
    carrier     text NOT NULL,
    tracking_no text NOT NULL,
    shipped_at  timestamptz NOT NULL
);

CREATE TABLE support_tickets (
    id          bigint PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    opened_at   timestamptz NOT NULL,
    subject     text NOT NULL,
    body        text NOT NULL
);

CREATE TRIGGER customers_touch BEFORE UPDATE ON customers
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Data ---------------------------------------------------------------------------------------
CREATE TEMP TABLE demo_scale AS SELECT
    current_setting('envsync.demo_rows')::bigint AS orders,
    greatest(current_setting('envsync.demo_rows')::bigint / 4, 10) AS customers,
    greatest(current_setting('envsync.demo_rows')::bigint / 20, 5) AS tickets,
    coalesce(nullif(current_setting('envsync.demo_first_id', true), '')::bigint, 0) AS base;

CREATE TEMP TABLE demo_words AS SELECT
    ARRAY['Anna','Ben','Chloé','David','Emma','Felix','Greta','Hiro','Ines','Jonas','Keiko','Liam',
          'Mia','Noah','Olga','Pablo','Quinn','Rosa','Sven','Tara','Umar','Vera','Wei','Yara','Zoë']
        AS first_names,
    ARRAY['Müller','Smith','Tanaka','García','Rossi','Nowak','Dubois','Kim','Silva','Jensen',
          'O''Brien','Nguyen','Schmidt','Brown','Sato','López','Costa','Larsen','Khan','Meyer']
        AS last_names,
    ARRAY['Berlin','Paris','Madrid','Boston','Austin','Seattle','Tokyo','Osaka','Sydney','Perth']
        AS cities,
    ARRAY['DE','FR','ES','US','US','US','JP','JP','AU','AU'] AS countries,
    ARRAY['Main St','Oak Ave','Hauptstraße','Rue de la Paix','Gran Vía','Sakura-dori','George St']
        AS streets;

INSERT INTO customers
SELECT i,
       w.first_names[1 + i % 25],
       w.last_names[1 + (i / 25) % 20],
       w.first_names[1 + i % 25] || ' ' || w.last_names[1 + (i / 25) % 20],
       lower(translate(w.first_names[1 + i % 25], 'éëöüßç''', 'eeousc')) || '.'
           || lower(translate(w.last_names[1 + (i / 25) % 20], 'éëöüßçíáó''', 'eeousciao')) || i
           || '@example.com',
       '+1-555-' || lpad(((i * 7919) % 10000000)::text, 7, '0'),
       date '1950-01-01' + ((i * 37) % 18000)::integer,
       (1 + i % 200) || ' ' || w.streets[1 + i % 7],
       w.cities[1 + i % 10],
       lpad(((i * 31) % 99999)::text, 5, '0'),
       w.countries[1 + i % 10],
       'DE' || lpad(((i * 13) % 97)::text, 2, '0') || lpad((i::bigint * 104729)::text, 18, '0'),
       '4' || lpad(((i::bigint * 982451653) % 1000000000000000)::text, 15, '0'),
       timestamptz '2020-01-01 00:00+00' + (i % 1500) * interval '1 day',
       timestamptz '2020-01-01 00:00+00' + (i % 1500) * interval '1 day'
FROM demo_words w, demo_scale s, generate_series(s.base + 1, s.base + s.customers) i;

INSERT INTO products
SELECT i, 'SKU-' || lpad(i::text, 6, '0'),
       (ARRAY['Kettle','Lamp','Chair','Desk','Mug','Pen','Backpack','Headphones'])[1 + i % 8]
           || ' Model ' || i,
       (ARRAY['home','office','travel','audio'])[1 + i % 4],
       ((i * 17) % 500 + 5)::numeric(10,2) - 0.01
FROM generate_series(1, 500) i;

INSERT INTO orders
SELECT i,
       s.base + 1 + (i * 7) % s.customers,
       timestamptz '2023-01-01 00:00+00' + (i % 100000) * interval '13 minutes',
       (ARRAY['new','paid','shipped','delivered','cancelled']::order_status[])[1 + i % 5],
       0,
       (1 + i % 200) || ' Main St'
FROM demo_scale s, generate_series(s.base + 1, s.base + s.orders) i;

INSERT INTO order_items
SELECT o, l, 1 + (o * 3 + l * 11) % 500, 1 + (o + l) % 4, 0
FROM demo_scale s, generate_series(s.base + 1, s.base + s.orders) o, generate_series(1, 2) l;
UPDATE order_items oi SET unit_price = p.price FROM products p WHERE p.id = oi.product_id;
UPDATE orders o SET total = s.total
FROM (SELECT order_id, sum(quantity * unit_price) AS total FROM order_items GROUP BY order_id) s
WHERE s.order_id = o.id;

INSERT INTO payments
SELECT o.id, o.id, o.total,
       (ARRAY['card','card','iban','paypal'])[1 + o.id % 4],
       CASE WHEN o.id % 4 < 2 THEN lpad(((o.id * 7) % 10000)::text, 4, '0') END,
       o.ordered_at + interval '5 minutes'
FROM orders o WHERE o.status <> 'new';

INSERT INTO shipments
SELECT o.id, o.id, (ARRAY['DHL','UPS','Yamato','AusPost'])[1 + o.id % 4],
       'TRK' || lpad((o.id * 48271 % 1000000000)::text, 10, '0'),
       o.ordered_at + interval '1 day'
FROM orders o WHERE o.status IN ('shipped', 'delivered');

INSERT INTO support_tickets
SELECT s.base + i, c.id, c.created_at + interval '30 days',
       'Question about order ' || i,
       'Hello, this is ' || c.full_name || ', please call me at ' || c.phone || '.'
FROM demo_scale s
CROSS JOIN generate_series(1::bigint, s.tickets) i
JOIN customers c ON c.id = s.base + 1 + (i * 3) % s.customers;

DROP TABLE demo_words, demo_scale;
ANALYZE;
