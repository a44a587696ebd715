CREATE TABLE accounts (id int PRIMARY KEY, name text, balance numeric);
CREATE FUNCTION accounts_view_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO accounts (id, name) VALUES (NEW.id, NEW.name); RETURN NEW; END $$;
CREATE VIEW account_names AS SELECT id, name FROM accounts;
CREATE TRIGGER account_names_insert INSTEAD OF INSERT ON account_names FOR EACH ROW EXECUTE FUNCTION accounts_view_insert();
