CREATE SCHEMA "Cust ""VIP"" ü";
CREATE TYPE "Cust ""VIP"" ü"."Státus ""x""" AS ENUM ('a''b', 'C d');
CREATE TABLE "Cust ""VIP"" ü"."Order Lines" (
    "ID" bigint CONSTRAINT "PK ""lines""" PRIMARY KEY,
    "Qty ""n""" integer NOT NULL DEFAULT 1,
    "prïce" numeric(10,2),
    "Státus" "Cust ""VIP"" ü"."Státus ""x""" DEFAULT 'a''b'
);
CREATE INDEX "Idx ""qty"" ü" ON "Cust ""VIP"" ü"."Order Lines" ("Qty ""n""");
CREATE VIEW "Cust ""VIP"" ü"."View; DROP TABLE x;--" AS SELECT "ID", "prïce" FROM "Cust ""VIP"" ü"."Order Lines";
CREATE FUNCTION "Cust ""VIP"" ü"."Fn ""q""()"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE SEQUENCE "Cust ""VIP"" ü"."Seq ""s""";
