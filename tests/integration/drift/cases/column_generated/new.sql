CREATE TABLE items (id bigint PRIMARY KEY, qty integer NOT NULL, price numeric(10,2) NOT NULL,
    total numeric GENERATED ALWAYS AS (qty * price * 1.19) STORED, label text);
