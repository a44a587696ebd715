CREATE SCHEMA reporting;
CREATE TABLE reporting.daily (day date PRIMARY KEY, total numeric);
CREATE VIEW reporting.weekly AS SELECT date_trunc('week', day) AS week, sum(total) AS total FROM reporting.daily GROUP BY 1;
