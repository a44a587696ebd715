CREATE DOMAIN positive_amount AS numeric(12,2) CHECK (VALUE >= 0);
CREATE DOMAIN email AS text;
CREATE TABLE payments (id int PRIMARY KEY, amount positive_amount, payer email);
