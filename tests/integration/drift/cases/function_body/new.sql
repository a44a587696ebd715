CREATE FUNCTION add_tax(amount numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT amount * 1.2 $$;
CREATE FUNCTION greet(name text) RETURNS text LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$ BEGIN RETURN 'hello ' || name; END $$;
COMMENT ON FUNCTION greet(text) IS 'says hello';
