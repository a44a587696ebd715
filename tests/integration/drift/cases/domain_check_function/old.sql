CREATE TABLE parcels (id int PRIMARY KEY);
