CREATE COLLATION numeric_order (provider = icu, locale = 'en-u-kn-true');
CREATE TABLE people (id int PRIMARY KEY, name text, code text COLLATE numeric_order);
