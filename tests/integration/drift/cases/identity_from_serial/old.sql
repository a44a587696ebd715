CREATE TABLE tickets (id bigserial PRIMARY KEY, title text);
CREATE TABLE "Mixed Case" ("Id" serial PRIMARY KEY);
