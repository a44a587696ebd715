CREATE TABLE measurements (city_id int NOT NULL, logdate date NOT NULL, peaktemp int) PARTITION BY LIST (city_id);
CREATE TABLE measurements_1 PARTITION OF measurements FOR VALUES IN (1);
CREATE TABLE measurements_2 PARTITION OF measurements FOR VALUES IN (2, 3);
CREATE INDEX ON measurements (logdate);
