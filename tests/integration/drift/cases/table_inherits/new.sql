CREATE TABLE base_entity (id bigint NOT NULL, created_at timestamptz);
CREATE TABLE cities (id bigint NOT NULL, created_at timestamptz, name text);
ALTER TABLE cities INHERIT base_entity;
CREATE TABLE capitals (country text) INHERITS (cities);
