CREATE TABLE readings (id bigint NOT NULL, at date NOT NULL, region text NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE readings_old PARTITION OF readings FOR VALUES FROM (MINVALUE) TO ('2024-01-01');
CREATE VIEW recent_readings AS SELECT id, at FROM readings WHERE at > '2024-06-01';
