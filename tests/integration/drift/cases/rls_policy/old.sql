CREATE TABLE documents (id int PRIMARY KEY, owner text NOT NULL, public boolean DEFAULT false);
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY documents_owner ON documents USING (owner = current_user);
CREATE POLICY documents_old ON documents FOR DELETE USING (false);
