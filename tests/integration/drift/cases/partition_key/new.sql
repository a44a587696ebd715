CREATE TABLE readings (id bigint NOT NULL, at date NOT NULL, region text NOT NULL) PARTITION BY LIST (region);
CREATE TABLE readings_eu PARTITION OF readings FOR VALUES IN ('eu');
CREATE VIEW recent_readings AS SELECT id, at FROM readings WHERE at > '2024-06-01';
