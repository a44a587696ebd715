CREATE DOMAIN positive_amount AS numeric(12,2) NOT NULL DEFAULT 0 CONSTRAINT positive_amount_check CHECK (VALUE > 0) CONSTRAINT not_huge CHECK (VALUE < 1000000);
CREATE DOMAIN email AS text CHECK (VALUE ~ '@');
CREATE DOMAIN short_code AS varchar(8) COLLATE "C";
CREATE TABLE payments (id int PRIMARY KEY, amount positive_amount, payer email, code short_code);
