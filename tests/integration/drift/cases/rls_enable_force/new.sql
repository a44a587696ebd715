CREATE TABLE accounts (id int PRIMARY KEY, tenant text);
ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE accounts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON accounts FOR SELECT TO postgres USING (tenant = current_setting('app.tenant', true));
CREATE TABLE secrets (id int PRIMARY KEY);
