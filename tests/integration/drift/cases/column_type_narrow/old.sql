CREATE TABLE measurements (id bigint PRIMARY KEY, value double precision, code text, amount numeric(12,4));
INSERT INTO measurements VALUES (1, 1.5, '42', 10.1234);
