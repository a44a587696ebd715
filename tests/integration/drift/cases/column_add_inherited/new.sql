CREATE TABLE items (id int NOT NULL, name text, price numeric(10,2) DEFAULT 0);
CREATE TABLE books (id int NOT NULL, name text, isbn text, price numeric(10,2) DEFAULT 0) INHERITS (items);
CREATE TABLE ebooks (url text, price numeric(10,2) DEFAULT 0) INHERITS (books);
CREATE TABLE measurements (id int NOT NULL, at date NOT NULL, value numeric, unit text DEFAULT 'kg') PARTITION BY RANGE (at);
CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE measurements_2026 (id int NOT NULL, at date NOT NULL, value numeric, unit text DEFAULT 'kg');
ALTER TABLE measurements ATTACH PARTITION measurements_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
