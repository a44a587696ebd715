CREATE SEQUENCE invoice_no START 1000 INCREMENT 1;
CREATE SEQUENCE old_seq;
CREATE TABLE invoices (id int PRIMARY KEY, no bigint DEFAULT nextval('invoice_no'));
