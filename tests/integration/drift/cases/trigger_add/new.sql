CREATE FUNCTION audit_row_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TABLE orders (id bigint PRIMARY KEY, status text);
CREATE TRIGGER orders_audit AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit_row_change();
CREATE TRIGGER orders_status BEFORE INSERT OR UPDATE OF status ON orders FOR EACH ROW WHEN (NEW.status IS NOT NULL) EXECUTE FUNCTION audit_row_change();
COMMENT ON TRIGGER orders_audit ON orders IS 'audit';
