CREATE SCHEMA crm;
CREATE SCHEMA shop;
CREATE TABLE crm.customers (id bigint PRIMARY KEY);
CREATE TABLE shop.orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES crm.customers (id) MATCH FULL ON DELETE RESTRICT);
CREATE TABLE shop.products (id bigint PRIMARY KEY);
CREATE TABLE shop.order_items (order_id bigint REFERENCES shop.orders (id), product_id bigint REFERENCES shop.products (id));
