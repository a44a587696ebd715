CREATE TABLE customers (id int PRIMARY KEY, name text);
CREATE TABLE visits (id int PRIMARY KEY, customer_id int, at timestamptz);
CREATE VIEW visit_counts AS SELECT customer_id, count(*) AS n FROM visits GROUP BY customer_id;
CREATE VIEW busy_customers AS SELECT c.name FROM customers c JOIN visit_counts v ON v.customer_id = c.id WHERE v.n > 10;
CREATE MATERIALIZED VIEW visit_days AS SELECT DISTINCT at::date AS day FROM visits;
CREATE FUNCTION last_visit(c int) RETURNS timestamptz LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT max(at) FROM visits WHERE customer_id = c;
END;
CREATE VIEW customer_last_visit AS SELECT id, last_visit(id) AS at FROM customers;
