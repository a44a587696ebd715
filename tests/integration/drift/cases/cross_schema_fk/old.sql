CREATE SCHEMA crm;
CREATE SCHEMA shop;
CREATE TABLE crm.customers (id bigint PRIMARY KEY);
CREATE TABLE shop.orders (id bigint PRIMARY KEY, customer_id bigint);
