CREATE TABLE docs (id int PRIMARY KEY, slug text, body text, tags text[]);
CREATE UNIQUE INDEX docs_slug_idx ON docs (slug);
CREATE INDEX docs_body_idx ON docs USING hash (body);
CREATE INDEX docs_tags_idx ON docs USING gin (tags);
