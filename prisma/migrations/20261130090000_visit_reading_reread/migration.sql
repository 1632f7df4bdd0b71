-- A catch-up visit says which reading it is for (the empty slot of a missed reading, or the
-- reading under doubt that an auditor ordered re-read), and a re-read's value is marked as such.
-- Without the link, any reading taken for the customer closed any open catch-up visit.

-- AlterEnum
ALTER TYPE "ReadingSource" ADD VALUE 'REREAD';

-- AlterTable
ALTER TABLE "visit" ADD COLUMN     "reading_id" INTEGER;

-- CreateIndex
CREATE INDEX "visit_reading_id_idx" ON "visit"("reading_id");

-- Existing visits: the audit row that planned each one names its reading (a re-read names the
-- exception, whose bill names the reading)
UPDATE "visit" v SET "reading_id" = b."reading_id"
  FROM "audit_log" l
  JOIN "audit_exception" e ON e."id"::text = l."target_id"
  JOIN "bill" b ON b."id" = e."bill_id"
 WHERE l."action" = 'audit.reread' AND l."target_type" = 'audit_exception'
   AND (l."after"->>'visitId')::int = v."id" AND v."purpose" = 'CATCH_UP_READING';
UPDATE "visit" v SET "reading_id" = l."target_id"::int
  FROM "audit_log" l
 WHERE l."action" = 'reading.catchUpPlanned' AND l."target_type" = 'reading'
   AND (l."after"->>'visitId')::int = v."id" AND v."purpose" = 'CATCH_UP_READING' AND v."reading_id" IS NULL;
