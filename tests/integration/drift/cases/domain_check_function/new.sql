CREATE FUNCTION is_postcode(v text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT v ~ '^[0-9]{5}$' $$;
CREATE DOMAIN postcode AS text CONSTRAINT postcode_format CHECK (is_postcode(VALUE));
CREATE FUNCTION region_of(p postcode) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT left(p, 2) $$;
CREATE TABLE parcels (id int PRIMARY KEY, destination postcode, region text DEFAULT region_of('10115'));
CREATE TABLE depots (id int PRIMARY KEY, code postcode NOT NULL);
