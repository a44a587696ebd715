CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TABLE customers (id bigint PRIMARY KEY, updated_at timestamptz);
CREATE TRIGGER customers_touch BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER customers_extra AFTER INSERT ON customers FOR EACH STATEMENT EXECUTE FUNCTION touch();
