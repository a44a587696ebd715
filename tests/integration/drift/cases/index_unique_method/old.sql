CREATE TABLE docs (id int PRIMARY KEY, slug text, body text, tags text[]);
CREATE INDEX docs_slug_idx ON docs (slug);
CREATE INDEX docs_body_idx ON docs USING btree (body);
CREATE INDEX docs_dropped_idx ON docs (id, slug);
