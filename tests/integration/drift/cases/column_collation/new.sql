CREATE TABLE names (id integer PRIMARY KEY, name text COLLATE "C", code varchar(8));
