-- CreateTable
CREATE TABLE "Stamp" (
    "name" TEXT NOT NULL,
    "value" UUID NOT NULL DEFAULT gen_random_uuid(),

    CONSTRAINT "Stamp_pkey" PRIMARY KEY ("name")
);

-- The stamps the service reads (api/stamps.ts).
INSERT INTO "Stamp" ("name") VALUES ('planning'), ('access');

-- A new value for the stamp named by the trigger's argument, once per transaction that wrote a table it
-- covers. The constraint triggers below are deferred, so this runs while the transaction commits: the stamp
-- changes in the same commit as the data, and its row lock is the last lock the transaction takes (no
-- deadlock can go through it, and it is held only while committing). The transaction-local setting keeps it
-- to one update per stamp and transaction.
CREATE FUNCTION "renew_stamp"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  renewed TEXT := 'governance.stamp_renewed_' || TG_ARGV[0];
BEGIN
  IF current_setting(renewed, true) IS DISTINCT FROM 'yes' THEN
    PERFORM set_config(renewed, 'yes', true);
    UPDATE "Stamp" SET "value" = gen_random_uuid() WHERE "name" = TG_ARGV[0];
  END IF;
  RETURN NULL;
END
$$;

-- What the planned calendar is computed from (api/calendar/build.ts).
CREATE CONSTRAINT TRIGGER "renews_planning_stamp" AFTER INSERT OR UPDATE OR DELETE ON "Body"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "renew_stamp"('planning');
CREATE CONSTRAINT TRIGGER "renews_planning_stamp" AFTER INSERT OR UPDATE OR DELETE ON "BodyAmbito"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "renew_stamp"('planning');
CREATE CONSTRAINT TRIGGER "renews_planning_stamp" AFTER INSERT OR UPDATE OR DELETE ON "MeetingSeries"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "renew_stamp"('planning');
CREATE CONSTRAINT TRIGGER "renews_planning_stamp" AFTER INSERT OR UPDATE OR DELETE ON "Meeting"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "renew_stamp"('planning');
CREATE CONSTRAINT TRIGGER "renews_planning_stamp" AFTER INSERT OR UPDATE OR DELETE ON "LocalFeastDay"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "renew_stamp"('planning');

-- Who a token or session is and their roles (api/auth/viewers.ts).
CREATE CONSTRAINT TRIGGER "renews_access_stamp" AFTER INSERT OR UPDATE OR DELETE ON "ApiToken"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "renew_stamp"('access');
CREATE CONSTRAINT TRIGGER "renews_access_stamp" AFTER INSERT OR UPDATE OR DELETE ON "AuthSession"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "renew_stamp"('access');
CREATE CONSTRAINT TRIGGER "renews_access_stamp" AFTER INSERT OR UPDATE OR DELETE ON "Person"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "renew_stamp"('access');
CREATE CONSTRAINT TRIGGER "renews_access_stamp" AFTER INSERT OR UPDATE OR DELETE ON "UfficioDiPianoMember"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "renew_stamp"('access');
CREATE CONSTRAINT TRIGGER "renews_access_stamp" AFTER INSERT OR UPDATE OR DELETE ON "Segreteria"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "renew_stamp"('access');
CREATE CONSTRAINT TRIGGER "renews_access_stamp" AFTER INSERT OR UPDATE OR DELETE ON "Membership"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "renew_stamp"('access');
CREATE CONSTRAINT TRIGGER "renews_access_stamp" AFTER INSERT OR UPDATE OR DELETE ON "Seat"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "renew_stamp"('access');
CREATE CONSTRAINT TRIGGER "renews_access_stamp" AFTER INSERT OR UPDATE OR DELETE ON "Body"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "renew_stamp"('access');
CREATE CONSTRAINT TRIGGER "renews_access_stamp" AFTER INSERT OR UPDATE OR DELETE ON "Invitation"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "renew_stamp"('access');

-- TRUNCATE fires no row trigger.
CREATE TRIGGER "renews_planning_stamp_on_truncate" AFTER TRUNCATE ON "Body"
  FOR EACH STATEMENT EXECUTE FUNCTION "renew_stamp"('planning');
CREATE TRIGGER "renews_planning_stamp_on_truncate" AFTER TRUNCATE ON "BodyAmbito"
  FOR EACH STATEMENT EXECUTE FUNCTION "renew_stamp"('planning');
CREATE TRIGGER "renews_planning_stamp_on_truncate" AFTER TRUNCATE ON "MeetingSeries"
  FOR EACH STATEMENT EXECUTE FUNCTION "renew_stamp"('planning');
CREATE TRIGGER "renews_planning_stamp_on_truncate" AFTER TRUNCATE ON "Meeting"
  FOR EACH STATEMENT EXECUTE FUNCTION "renew_stamp"('planning');
CREATE TRIGGER "renews_planning_stamp_on_truncate" AFTER TRUNCATE ON "LocalFeastDay"
  FOR EACH STATEMENT EXECUTE FUNCTION "renew_stamp"('planning');
CREATE TRIGGER "renews_access_stamp_on_truncate" AFTER TRUNCATE ON "ApiToken"
  FOR EACH STATEMENT EXECUTE FUNCTION "renew_stamp"('access');
CREATE TRIGGER "renews_access_stamp_on_truncate" AFTER TRUNCATE ON "AuthSession"
  FOR EACH STATEMENT EXECUTE FUNCTION "renew_stamp"('access');
CREATE TRIGGER "renews_access_stamp_on_truncate" AFTER TRUNCATE ON "Person"
  FOR EACH STATEMENT EXECUTE FUNCTION "renew_stamp"('access');
CREATE TRIGGER "renews_access_stamp_on_truncate" AFTER TRUNCATE ON "UfficioDiPianoMember"
  FOR EACH STATEMENT EXECUTE FUNCTION "renew_stamp"('access');
CREATE TRIGGER "renews_access_stamp_on_truncate" AFTER TRUNCATE ON "Segreteria"
  FOR EACH STATEMENT EXECUTE FUNCTION "renew_stamp"('access');
CREATE TRIGGER "renews_access_stamp_on_truncate" AFTER TRUNCATE ON "Membership"
  FOR EACH STATEMENT EXECUTE FUNCTION "renew_stamp"('access');
CREATE TRIGGER "renews_access_stamp_on_truncate" AFTER TRUNCATE ON "Seat"
  FOR EACH STATEMENT EXECUTE FUNCTION "renew_stamp"('access');
CREATE TRIGGER "renews_access_stamp_on_truncate" AFTER TRUNCATE ON "Body"
  FOR EACH STATEMENT EXECUTE FUNCTION "renew_stamp"('access');
CREATE TRIGGER "renews_access_stamp_on_truncate" AFTER TRUNCATE ON "Invitation"
  FOR EACH STATEMENT EXECUTE FUNCTION "renew_stamp"('access');
