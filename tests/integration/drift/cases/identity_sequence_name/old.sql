CREATE TABLE tickets (id bigint PRIMARY KEY, title text);
CREATE TABLE counters (id int GENERATED ALWAYS AS IDENTITY, label text);
