-- apac drift: a missing table and an extra trigger (on an existing function).
DROP TABLE support_tickets;
CREATE TRIGGER orders_audit AFTER UPDATE ON orders
    FOR EACH ROW EXECUTE FUNCTION audit_row_change();
