CREATE SCHEMA "Cust ""VIP"" ü";
CREATE TYPE "Cust ""VIP"" ü"."Státus ""x""" AS ENUM ('a''b', 'new ''one''', 'C d');
CREATE TABLE "Cust ""VIP"" ü"."Order Lines" (
    "ID" bigint CONSTRAINT "PK ""lines""" PRIMARY KEY,
    "Qty ""n""" bigint NOT NULL DEFAULT 2,
    "prïce" numeric(12,2),
    "Státus" "Cust ""VIP"" ü"."Státus ""x""" DEFAULT 'C d',
    "Note ""😀""" text COLLATE "C"
);
CREATE TABLE "Cust ""VIP"" ü"."Child ""T""" ("ID" bigint REFERENCES "Cust ""VIP"" ü"."Order Lines" ("ID") ON DELETE CASCADE, "Ünï" text CHECK ("Ünï" <> ''));
CREATE INDEX "Idx ""qty"" ü" ON "Cust ""VIP"" ü"."Order Lines" ("Qty ""n""", "ID") WHERE "prïce" > 0;
CREATE VIEW "Cust ""VIP"" ü"."View; DROP TABLE x;--" AS SELECT "ID", "prïce", "Qty ""n""" FROM "Cust ""VIP"" ü"."Order Lines";
CREATE FUNCTION "Cust ""VIP"" ü"."Fn ""q""()"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER "Trg ""t"" ü" AFTER INSERT ON "Cust ""VIP"" ü"."Order Lines" FOR EACH ROW EXECUTE FUNCTION "Cust ""VIP"" ü"."Fn ""q""()"();
CREATE SEQUENCE "Cust ""VIP"" ü"."Seq ""s""" INCREMENT 7;
ALTER TABLE "Cust ""VIP"" ü"."Order Lines" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Pol ""p""" ON "Cust ""VIP"" ü"."Order Lines" USING ("Qty ""n""" > 0);
COMMENT ON TABLE "Cust ""VIP"" ü"."Order Lines" IS 'it''s "quoted"';
COMMENT ON COLUMN "Cust ""VIP"" ü"."Order Lines"."prïce" IS 'ü';
