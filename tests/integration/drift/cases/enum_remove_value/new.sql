CREATE TYPE mood AS ENUM ('happy', 'ok', 'sad');
CREATE TABLE people (id int PRIMARY KEY, mood mood DEFAULT 'ok', moods mood[]);
CREATE VIEW happy_people AS SELECT id FROM people WHERE mood = 'happy';
