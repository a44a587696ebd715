CREATE TYPE address AS (street text, city text, zip varchar(5));
CREATE TYPE obsolete AS (a int);
