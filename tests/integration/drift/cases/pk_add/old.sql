CREATE TABLE lines (order_id bigint NOT NULL, line_no int NOT NULL, qty int);
CREATE TABLE tags (name text NOT NULL);
