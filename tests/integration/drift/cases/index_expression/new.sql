CREATE TABLE users (id int PRIMARY KEY, email text);
CREATE UNIQUE INDEX users_email_lower_idx ON users (lower(email));
COMMENT ON INDEX users_email_lower_idx IS 'case-insensitive uniqueness';
