CREATE COLLATION sort_key (provider = icu, locale = 'en-u-kn-true');
CREATE TABLE labels (id int PRIMARY KEY, label text COLLATE sort_key, note varchar(20) COLLATE sort_key);
CREATE INDEX labels_label_idx ON labels (label);
INSERT INTO labels VALUES (1, 'a10', 'x');
