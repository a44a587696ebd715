CREATE TABLE lines (order_id bigint NOT NULL, line_no int NOT NULL, qty int, PRIMARY KEY (order_id, line_no));
CREATE TABLE tags (name text NOT NULL CONSTRAINT tags_pk PRIMARY KEY);
