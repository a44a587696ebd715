CREATE SCHEMA "MiXeD Case";
CREATE TABLE "MiXeD Case"."Tab""le" ("Col umn" int PRIMARY KEY);
