CREATE TABLE items (id int NOT NULL, name text);
CREATE TABLE books (id int NOT NULL, name text, isbn text) INHERITS (items);
CREATE TABLE ebooks (url text) INHERITS (books);
CREATE TABLE measurements (id int NOT NULL, at date NOT NULL, value numeric) PARTITION BY RANGE (at);
CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE measurements_2026 (id int NOT NULL, at date NOT NULL, value numeric);
ALTER TABLE measurements ATTACH PARTITION measurements_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
