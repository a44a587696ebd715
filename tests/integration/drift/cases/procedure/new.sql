CREATE TABLE log (msg text);
CREATE PROCEDURE write_log(m text) LANGUAGE sql AS $$ INSERT INTO log VALUES (upper(m)) $$;
CREATE PROCEDURE purge_log() LANGUAGE plpgsql AS $$ BEGIN DELETE FROM log; END $$;
