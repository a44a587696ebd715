CREATE TABLE items (id bigint PRIMARY KEY, qty integer NOT NULL, price numeric(10,2) NOT NULL,
    total numeric GENERATED ALWAYS AS (qty * price) STORED, label text GENERATED ALWAYS AS ('item ' || id) STORED);
