CREATE TABLE measurements (id integer PRIMARY KEY, value real, code integer, amount numeric(10,2));
