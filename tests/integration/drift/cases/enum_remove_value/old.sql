CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'ecstatic');
CREATE TABLE people (id int PRIMARY KEY, mood mood DEFAULT 'ok', moods mood[]);
CREATE VIEW happy_people AS SELECT id FROM people WHERE mood = 'happy';
INSERT INTO people VALUES (1, 'happy', '{sad,ok}');
