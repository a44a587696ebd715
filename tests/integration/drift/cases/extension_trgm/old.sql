CREATE EXTENSION hstore;
CREATE TABLE products (id int PRIMARY KEY, name text, attrs hstore);
