CREATE TABLE parcels (id int PRIMARY KEY);
CREATE DOMAIN grade AS text;
