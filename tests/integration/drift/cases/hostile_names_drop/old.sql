CREATE SCHEMA "MiXeD Case";
CREATE TABLE "MiXeD Case"."Tab""le" ("Col umn" int PRIMARY KEY, "drop ""me""" text);
CREATE TABLE "MiXeD Case"."gone ""table""" (id int);
CREATE TYPE "MiXeD Case"."typ e" AS ("a ""b""" int);
CREATE DOMAIN "MiXeD Case"."dom ""d""" AS int CHECK (VALUE > 0);
CREATE FUNCTION "MiXeD Case"."f ""x"""(int) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
