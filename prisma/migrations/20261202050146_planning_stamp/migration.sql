-- CreateTable
CREATE TABLE "PlanningStamp" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "stamp" UUID NOT NULL DEFAULT gen_random_uuid(),

    CONSTRAINT "PlanningStamp_pkey" PRIMARY KEY ("id")
);

-- The one row (api/calendar/build.ts reads it by id).
INSERT INTO "PlanningStamp" ("id") VALUES (1);

-- A new stamp once per transaction that wrote what the calendar is computed from. The constraint triggers
-- below are deferred, so this runs while the transaction commits: the stamp changes in the same commit as
-- the data, and its row lock is the last lock the transaction takes (no deadlock can go through it, and it
-- is held only while committing). The transaction-local setting keeps it to one update per transaction.
CREATE FUNCTION "renew_planning_stamp"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('governance.planning_stamp_renewed', true) IS DISTINCT FROM 'yes' THEN
    PERFORM set_config('governance.planning_stamp_renewed', 'yes', true);
    UPDATE "PlanningStamp" SET "stamp" = gen_random_uuid() WHERE "id" = 1;
  END IF;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER "renews_planning_stamp" AFTER INSERT OR UPDATE OR DELETE ON "Body"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "renew_planning_stamp"();
CREATE CONSTRAINT TRIGGER "renews_planning_stamp" AFTER INSERT OR UPDATE OR DELETE ON "BodyAmbito"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "renew_planning_stamp"();
CREATE CONSTRAINT TRIGGER "renews_planning_stamp" AFTER INSERT OR UPDATE OR DELETE ON "MeetingSeries"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "renew_planning_stamp"();
CREATE CONSTRAINT TRIGGER "renews_planning_stamp" AFTER INSERT OR UPDATE OR DELETE ON "Meeting"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "renew_planning_stamp"();
CREATE CONSTRAINT TRIGGER "renews_planning_stamp" AFTER INSERT OR UPDATE OR DELETE ON "LocalFeastDay"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "renew_planning_stamp"();

-- TRUNCATE fires no row trigger.
CREATE TRIGGER "renews_planning_stamp_on_truncate" AFTER TRUNCATE ON "Body"
  FOR EACH STATEMENT EXECUTE FUNCTION "renew_planning_stamp"();
CREATE TRIGGER "renews_planning_stamp_on_truncate" AFTER TRUNCATE ON "BodyAmbito"
  FOR EACH STATEMENT EXECUTE FUNCTION "renew_planning_stamp"();
CREATE TRIGGER "renews_planning_stamp_on_truncate" AFTER TRUNCATE ON "MeetingSeries"
  FOR EACH STATEMENT EXECUTE FUNCTION "renew_planning_stamp"();
CREATE TRIGGER "renews_planning_stamp_on_truncate" AFTER TRUNCATE ON "Meeting"
  FOR EACH STATEMENT EXECUTE FUNCTION "renew_planning_stamp"();
CREATE TRIGGER "renews_planning_stamp_on_truncate" AFTER TRUNCATE ON "LocalFeastDay"
  FOR EACH STATEMENT EXECUTE FUNCTION "renew_planning_stamp"();
