CREATE TABLE users (id int PRIMARY KEY, email text, login text, CONSTRAINT users_login_key UNIQUE (login));
