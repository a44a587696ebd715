CREATE TABLE sales (id int PRIMARY KEY, region text, amount numeric);
CREATE MATERIALIZED VIEW sales_by_region AS SELECT region, sum(amount) AS total, count(*) AS n FROM sales GROUP BY region;
CREATE UNIQUE INDEX sales_by_region_idx ON sales_by_region (region);
CREATE MATERIALIZED VIEW sales_count AS SELECT count(*) AS n FROM sales;
COMMENT ON MATERIALIZED VIEW sales_count IS 'count';
