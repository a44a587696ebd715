CREATE TABLE parents (id int NOT NULL, code text NOT NULL, CONSTRAINT parents_pkey PRIMARY KEY (id) INCLUDE (code), CONSTRAINT parents_code_key UNIQUE (code) WITH (fillfactor = 80));
CREATE TABLE children (id int PRIMARY KEY, parent_id int REFERENCES parents (id), parent_code text REFERENCES parents (code));
