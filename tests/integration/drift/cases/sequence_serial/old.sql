CREATE TABLE a (id serial PRIMARY KEY, name text);
CREATE TABLE b (id int PRIMARY KEY);
