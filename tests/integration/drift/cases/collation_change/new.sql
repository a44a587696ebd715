CREATE COLLATION sort_key (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TABLE labels (id int PRIMARY KEY, label text COLLATE sort_key, note varchar(20));
CREATE INDEX labels_label_idx ON labels (label);
COMMENT ON COLLATION sort_key IS 'case-insensitive';
