CREATE SCHEMA "Lang Ü";
CREATE COLLATION "Lang Ü"."Case Insensitive" (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION plain_c (locale = 'C');
CREATE DOMAIN ci_text AS text COLLATE "Lang Ü"."Case Insensitive";
CREATE TABLE people (id int PRIMARY KEY, name text COLLATE "Lang Ü"."Case Insensitive", code text COLLATE plain_c, login ci_text);
COMMENT ON COLLATION plain_c IS 'byte order';
