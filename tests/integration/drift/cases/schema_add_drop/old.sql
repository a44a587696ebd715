CREATE SCHEMA legacy;
CREATE TABLE legacy.things (id int PRIMARY KEY);
