CREATE TABLE names (id integer PRIMARY KEY, name text, code varchar(8) COLLATE "C");
