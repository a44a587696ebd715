CREATE TABLE documents (id int PRIMARY KEY, owner text NOT NULL, public boolean DEFAULT false);
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY documents_owner ON documents USING (owner = current_user OR public);
CREATE POLICY documents_insert ON documents AS RESTRICTIVE FOR INSERT TO PUBLIC WITH CHECK (owner = current_user);
COMMENT ON POLICY documents_insert ON documents IS 'only own documents';
