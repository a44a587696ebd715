CREATE TABLE bookings (id int PRIMARY KEY, room int NOT NULL, during tsrange NOT NULL);
