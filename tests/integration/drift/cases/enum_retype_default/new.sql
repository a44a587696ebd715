CREATE TYPE task_state AS ENUM ('new', 'done');
CREATE TYPE task_state_v2 AS ENUM ('new', 'doing', 'done');
CREATE TABLE tasks (id int PRIMARY KEY, state task_state_v2 NOT NULL DEFAULT 'doing', history task_state_v2[] DEFAULT '{new}');
