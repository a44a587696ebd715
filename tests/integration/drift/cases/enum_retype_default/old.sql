CREATE TYPE task_state AS ENUM ('new', 'done');
CREATE TYPE task_state_v2 AS ENUM ('new', 'doing', 'done');
CREATE TABLE tasks (id int PRIMARY KEY, state task_state NOT NULL DEFAULT 'new', history task_state[] DEFAULT '{new}');
INSERT INTO tasks VALUES (1, 'done', '{new,done}');
