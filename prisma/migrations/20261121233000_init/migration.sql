-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "OrganisationKind" AS ENUM ('comune', 'ats', 'asst', 'csc', 'terzo_settore', 'scuola', 'sindacato', 'regione', 'provincia', 'altro');

-- CreateEnum
CREATE TYPE "BodyKind" AS ENUM ('assemblea_sindaci', 'comitato_ristretto', 'udp_nucleo_operativo', 'udp_coordinamento_tecnico', 'udp_integrato', 'assemblea_sub_ambito', 'cabina_di_regia', 'sovraintendenza');

-- CreateEnum
CREATE TYPE "MeetingStatus" AS ENUM ('planned', 'convened', 'held', 'closed', 'cancelled');

-- CreateEnum
CREATE TYPE "InvitationAnswer" AS ENUM ('present', 'absent', 'delegate');

-- CreateEnum
CREATE TYPE "AttendanceStatus" AS ENUM ('present', 'delegate', 'absent');

-- CreateEnum
CREATE TYPE "VerbaleStatus" AS ENUM ('draft', 'circulated', 'approved', 'published');

-- CreateEnum
CREATE TYPE "DeliverableKind" AS ENUM ('piano_operativo', 'report_annuale', 'aggiornamento_semestrale');

-- CreateEnum
CREATE TYPE "DeliverableStage" AS ENUM ('udp_draft', 'cr_review', 'ads_approval', 'completed');

-- CreateEnum
CREATE TYPE "DeliverableStatus" AS ENUM ('open', 'submitted', 'approved', 'waived');

-- CreateEnum
CREATE TYPE "DeliverableEventKind" AS ENUM ('created', 'stage_changed', 'submitted', 'approved', 'deadline_extended', 'waived', 'reminded', 'escalated');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('queued', 'sending', 'sent', 'failed');

-- CreateEnum
CREATE TYPE "MessageChannel" AS ENUM ('email', 'pec');

-- CreateEnum
CREATE TYPE "PlanKind" AS ENUM ('piano_di_zona', 'piano_operativo');

-- CreateEnum
CREATE TYPE "IndicatorKind" AS ENUM ('count', 'meeting_count', 'deliverable_count', 'percentage', 'boolean', 'milestone_date', 'max_duration_days', 'pct_change_vs_base');

-- CreateEnum
CREATE TYPE "Comparator" AS ENUM ('gte', 'lte', 'eq');

-- CreateTable
CREATE TABLE "Ambito" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL DEFAULT 'Europe/Rome',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Ambito_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Comune" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "ambitoId" UUID NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Comune_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComuneAlias" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "comuneId" UUID NOT NULL,
    "alias" TEXT NOT NULL,

    CONSTRAINT "ComuneAlias_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SubAmbito" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "ambitoId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "leadComuneId" UUID NOT NULL,

    CONSTRAINT "SubAmbito_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SubAmbitoMembership" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "subAmbitoId" UUID NOT NULL,
    "comuneId" UUID NOT NULL,
    "validFrom" DATE NOT NULL,
    "validTo" DATE,

    CONSTRAINT "SubAmbitoMembership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LocalFeastDay" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "ambitoId" UUID NOT NULL,
    "comuneId" UUID,
    "month" INTEGER NOT NULL,
    "day" INTEGER NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "LocalFeastDay_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Organisation" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "ambitoId" UUID,
    "kind" "OrganisationKind" NOT NULL,
    "name" TEXT NOT NULL,
    "comuneId" UUID,
    "category" TEXT,
    "isEnteCapofila" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Organisation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "fullName" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "pecEmail" TEXT,
    "organisationId" UUID,
    "isPlaceholder" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Body" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "ambitoId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "BodyKind" NOT NULL,
    "convenerRole" TEXT NOT NULL,
    "convenerOrganisationId" UUID,
    "subAmbitoId" UUID,
    "rules" JSONB NOT NULL,
    "source" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Body_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BodyAmbito" (
    "bodyId" UUID NOT NULL,
    "ambitoId" UUID NOT NULL,

    CONSTRAINT "BodyAmbito_pkey" PRIMARY KEY ("bodyId","ambitoId")
);

-- CreateTable
CREATE TABLE "Seat" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "bodyId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "designatedBy" TEXT NOT NULL,
    "allowsDelegate" BOOLEAN NOT NULL DEFAULT true,
    "votes" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "Seat_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "seatId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "validFrom" DATE NOT NULL,
    "validTo" DATE,
    "delegatePersonId" UUID,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingSeries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "bodyId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "rulesOverride" JSONB,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MeetingSeries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Meeting" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "bodyId" UUID NOT NULL,
    "seriesId" UUID,
    "plannedDateKey" TEXT NOT NULL,
    "status" "MeetingStatus" NOT NULL DEFAULT 'planned',
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "place" TEXT,
    "onlineUrl" TEXT,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "convenedAt" TIMESTAMPTZ(3),
    "cancelledAt" TIMESTAMPTZ(3),
    "cancellationReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgendaItem" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "meetingId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "isAddendum" BOOLEAN NOT NULL DEFAULT false,
    "sourceKey" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgendaItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Document" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "meetingId" UUID,
    "agendaItemId" UUID,
    "uploadedBy" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Document_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Invitation" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "meetingId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "seatId" UUID,
    "tokenHash" TEXT NOT NULL,
    "tokenExpiresAt" TIMESTAMPTZ(3) NOT NULL,
    "answer" "InvitationAnswer",
    "delegateName" TEXT,
    "delegateEmail" TEXT,
    "answeredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Invitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attendance" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "meetingId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "seatId" UUID,
    "status" "AttendanceStatus" NOT NULL,
    "delegateName" TEXT,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Attendance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Verbale" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "meetingId" UUID NOT NULL,
    "status" "VerbaleStatus" NOT NULL DEFAULT 'draft',
    "documentId" UUID,
    "dueDate" DATE NOT NULL,
    "submittedAt" TIMESTAMPTZ(3),
    "circulatedAt" TIMESTAMPTZ(3),
    "approvedAt" TIMESTAMPTZ(3),
    "publishedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Verbale_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeliverableType" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "ambitoId" UUID NOT NULL,
    "kind" "DeliverableKind" NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "mandatory" BOOLEAN NOT NULL,
    "preparerBodyId" UUID,
    "approverBodyId" UUID,
    "source" TEXT NOT NULL,

    CONSTRAINT "DeliverableType_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Deliverable" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "ambitoId" UUID NOT NULL,
    "kind" "DeliverableKind" NOT NULL,
    "referenceYear" INTEGER NOT NULL,
    "referencePeriod" TEXT NOT NULL,
    "stage" "DeliverableStage" NOT NULL DEFAULT 'udp_draft',
    "status" "DeliverableStatus" NOT NULL DEFAULT 'open',
    "ownerRole" TEXT NOT NULL,
    "ownerPersonId" UUID,
    "dueDate" DATE NOT NULL,
    "escalationLevel" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Deliverable_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeliverableEvent" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "deliverableId" UUID NOT NULL,
    "kind" "DeliverableEventKind" NOT NULL,
    "stage" "DeliverableStage",
    "note" TEXT,
    "actor" TEXT,
    "data" JSONB,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeliverableEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "idempotencyKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "channel" "MessageChannel" NOT NULL DEFAULT 'email',
    "recipientEmail" TEXT NOT NULL,
    "recipientName" TEXT,
    "personId" UUID,
    "subject" TEXT NOT NULL,
    "textBody" TEXT NOT NULL,
    "htmlBody" TEXT NOT NULL,
    "ics" TEXT,
    "status" "OutboxStatus" NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "providerMessageId" TEXT,
    "messageId" TEXT NOT NULL,
    "sentAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "data" JSONB,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Plan" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "ambitoId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "kind" "PlanKind" NOT NULL,
    "title" TEXT NOT NULL,
    "periodStart" DATE NOT NULL,
    "periodEnd" DATE NOT NULL,
    "parentId" UUID,
    "source" TEXT,
    "notes" TEXT,

    CONSTRAINT "Plan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanPeriod" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "planId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "calendarYear" INTEGER NOT NULL,
    "source" TEXT,

    CONSTRAINT "PlanPeriod_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MacroAction" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "planId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "titleIt" TEXT NOT NULL,
    "titleEn" TEXT NOT NULL,
    "problemIt" TEXT NOT NULL,
    "changeIt" TEXT,
    "source" TEXT,

    CONSTRAINT "MacroAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Objective" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "planId" UUID NOT NULL,
    "macroActionId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "titleIt" TEXT NOT NULL,
    "titleEn" TEXT NOT NULL,
    "policyAreaRaw" TEXT,
    "policyAreas" TEXT[],
    "progettoPremiale" BOOLEAN NOT NULL DEFAULT false,
    "recipients" TEXT,
    "actors" TEXT[],
    "source" TEXT,
    "notes" TEXT,

    CONSTRAINT "Objective_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Indicator" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "objectiveId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "labelIt" TEXT NOT NULL,
    "labelEn" TEXT NOT NULL,
    "kind" "IndicatorKind" NOT NULL,
    "isResultIndicator" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Indicator_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IndicatorTarget" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "indicatorId" UUID NOT NULL,
    "periodId" UUID NOT NULL,
    "raw" TEXT NOT NULL,
    "comparator" "Comparator" NOT NULL,
    "numericValue" DECIMAL(12,2),
    "booleanValue" BOOLEAN,
    "unit" TEXT NOT NULL,
    "minPerSubAmbito" INTEGER,
    "note" TEXT,

    CONSTRAINT "IndicatorTarget_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Ambito_code_key" ON "Ambito"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Comune_ambitoId_name_key" ON "Comune"("ambitoId", "name");

-- CreateIndex
CREATE INDEX "ComuneAlias_alias_idx" ON "ComuneAlias"("alias");

-- CreateIndex
CREATE UNIQUE INDEX "ComuneAlias_comuneId_alias_key" ON "ComuneAlias"("comuneId", "alias");

-- CreateIndex
CREATE UNIQUE INDEX "SubAmbito_ambitoId_number_key" ON "SubAmbito"("ambitoId", "number");

-- CreateIndex
CREATE INDEX "SubAmbitoMembership_comuneId_idx" ON "SubAmbitoMembership"("comuneId");

-- CreateIndex
CREATE UNIQUE INDEX "SubAmbitoMembership_subAmbitoId_comuneId_validFrom_key" ON "SubAmbitoMembership"("subAmbitoId", "comuneId", "validFrom");

-- CreateIndex
CREATE UNIQUE INDEX "LocalFeastDay_ambitoId_month_day_key" ON "LocalFeastDay"("ambitoId", "month", "day");

-- CreateIndex
CREATE UNIQUE INDEX "Organisation_name_key" ON "Organisation"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Organisation_comuneId_key" ON "Organisation"("comuneId");

-- CreateIndex
CREATE UNIQUE INDEX "Person_email_key" ON "Person"("email");

-- CreateIndex
CREATE INDEX "Body_kind_idx" ON "Body"("kind");

-- CreateIndex
CREATE UNIQUE INDEX "Body_ambitoId_code_key" ON "Body"("ambitoId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "Seat_bodyId_code_key" ON "Seat"("bodyId", "code");

-- CreateIndex
CREATE INDEX "Membership_personId_idx" ON "Membership"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_seatId_personId_validFrom_key" ON "Membership"("seatId", "personId", "validFrom");

-- CreateIndex
CREATE INDEX "MeetingSeries_bodyId_idx" ON "MeetingSeries"("bodyId");

-- CreateIndex
CREATE INDEX "Meeting_startsAt_idx" ON "Meeting"("startsAt");

-- CreateIndex
CREATE INDEX "Meeting_status_idx" ON "Meeting"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_bodyId_plannedDateKey_key" ON "Meeting"("bodyId", "plannedDateKey");

-- CreateIndex
CREATE UNIQUE INDEX "AgendaItem_meetingId_position_key" ON "AgendaItem"("meetingId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "AgendaItem_meetingId_sourceKey_key" ON "AgendaItem"("meetingId", "sourceKey");

-- CreateIndex
CREATE INDEX "Document_meetingId_idx" ON "Document"("meetingId");

-- CreateIndex
CREATE INDEX "Document_agendaItemId_idx" ON "Document"("agendaItemId");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_tokenHash_key" ON "Invitation"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_meetingId_personId_key" ON "Invitation"("meetingId", "personId");

-- CreateIndex
CREATE UNIQUE INDEX "Attendance_meetingId_personId_key" ON "Attendance"("meetingId", "personId");

-- CreateIndex
CREATE UNIQUE INDEX "Verbale_meetingId_key" ON "Verbale"("meetingId");

-- CreateIndex
CREATE UNIQUE INDEX "Verbale_documentId_key" ON "Verbale"("documentId");

-- CreateIndex
CREATE UNIQUE INDEX "DeliverableType_ambitoId_kind_key" ON "DeliverableType"("ambitoId", "kind");

-- CreateIndex
CREATE INDEX "Deliverable_dueDate_idx" ON "Deliverable"("dueDate");

-- CreateIndex
CREATE UNIQUE INDEX "Deliverable_ambitoId_kind_referencePeriod_key" ON "Deliverable"("ambitoId", "kind", "referencePeriod");

-- CreateIndex
CREATE INDEX "DeliverableEvent_deliverableId_at_idx" ON "DeliverableEvent"("deliverableId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_idempotencyKey_key" ON "OutboxMessage"("idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_messageId_key" ON "OutboxMessage"("messageId");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_kind_idx" ON "OutboxMessage"("kind");

-- CreateIndex
CREATE INDEX "AuditEvent_entity_entityId_idx" ON "AuditEvent"("entity", "entityId");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE UNIQUE INDEX "Plan_ambitoId_code_key" ON "Plan"("ambitoId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "PlanPeriod_planId_key_key" ON "PlanPeriod"("planId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "MacroAction_planId_code_key" ON "MacroAction"("planId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "Objective_planId_code_key" ON "Objective"("planId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "Indicator_objectiveId_key_key" ON "Indicator"("objectiveId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "IndicatorTarget_indicatorId_periodId_key" ON "IndicatorTarget"("indicatorId", "periodId");

-- AddForeignKey
ALTER TABLE "Comune" ADD CONSTRAINT "Comune_ambitoId_fkey" FOREIGN KEY ("ambitoId") REFERENCES "Ambito"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ComuneAlias" ADD CONSTRAINT "ComuneAlias_comuneId_fkey" FOREIGN KEY ("comuneId") REFERENCES "Comune"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubAmbito" ADD CONSTRAINT "SubAmbito_ambitoId_fkey" FOREIGN KEY ("ambitoId") REFERENCES "Ambito"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubAmbito" ADD CONSTRAINT "SubAmbito_leadComuneId_fkey" FOREIGN KEY ("leadComuneId") REFERENCES "Comune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubAmbitoMembership" ADD CONSTRAINT "SubAmbitoMembership_subAmbitoId_fkey" FOREIGN KEY ("subAmbitoId") REFERENCES "SubAmbito"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubAmbitoMembership" ADD CONSTRAINT "SubAmbitoMembership_comuneId_fkey" FOREIGN KEY ("comuneId") REFERENCES "Comune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LocalFeastDay" ADD CONSTRAINT "LocalFeastDay_ambitoId_fkey" FOREIGN KEY ("ambitoId") REFERENCES "Ambito"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LocalFeastDay" ADD CONSTRAINT "LocalFeastDay_comuneId_fkey" FOREIGN KEY ("comuneId") REFERENCES "Comune"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Organisation" ADD CONSTRAINT "Organisation_ambitoId_fkey" FOREIGN KEY ("ambitoId") REFERENCES "Ambito"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Organisation" ADD CONSTRAINT "Organisation_comuneId_fkey" FOREIGN KEY ("comuneId") REFERENCES "Comune"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Body" ADD CONSTRAINT "Body_ambitoId_fkey" FOREIGN KEY ("ambitoId") REFERENCES "Ambito"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Body" ADD CONSTRAINT "Body_convenerOrganisationId_fkey" FOREIGN KEY ("convenerOrganisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Body" ADD CONSTRAINT "Body_subAmbitoId_fkey" FOREIGN KEY ("subAmbitoId") REFERENCES "SubAmbito"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BodyAmbito" ADD CONSTRAINT "BodyAmbito_bodyId_fkey" FOREIGN KEY ("bodyId") REFERENCES "Body"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BodyAmbito" ADD CONSTRAINT "BodyAmbito_ambitoId_fkey" FOREIGN KEY ("ambitoId") REFERENCES "Ambito"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Seat" ADD CONSTRAINT "Seat_bodyId_fkey" FOREIGN KEY ("bodyId") REFERENCES "Body"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_seatId_fkey" FOREIGN KEY ("seatId") REFERENCES "Seat"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_delegatePersonId_fkey" FOREIGN KEY ("delegatePersonId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingSeries" ADD CONSTRAINT "MeetingSeries_bodyId_fkey" FOREIGN KEY ("bodyId") REFERENCES "Body"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_bodyId_fkey" FOREIGN KEY ("bodyId") REFERENCES "Body"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_seriesId_fkey" FOREIGN KEY ("seriesId") REFERENCES "MeetingSeries"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgendaItem" ADD CONSTRAINT "AgendaItem_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Document" ADD CONSTRAINT "Document_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Document" ADD CONSTRAINT "Document_agendaItemId_fkey" FOREIGN KEY ("agendaItemId") REFERENCES "AgendaItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_seatId_fkey" FOREIGN KEY ("seatId") REFERENCES "Seat"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attendance" ADD CONSTRAINT "Attendance_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attendance" ADD CONSTRAINT "Attendance_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attendance" ADD CONSTRAINT "Attendance_seatId_fkey" FOREIGN KEY ("seatId") REFERENCES "Seat"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Verbale" ADD CONSTRAINT "Verbale_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Verbale" ADD CONSTRAINT "Verbale_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliverableType" ADD CONSTRAINT "DeliverableType_ambitoId_fkey" FOREIGN KEY ("ambitoId") REFERENCES "Ambito"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliverableType" ADD CONSTRAINT "DeliverableType_preparerBodyId_fkey" FOREIGN KEY ("preparerBodyId") REFERENCES "Body"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliverableType" ADD CONSTRAINT "DeliverableType_approverBodyId_fkey" FOREIGN KEY ("approverBodyId") REFERENCES "Body"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deliverable" ADD CONSTRAINT "Deliverable_ambitoId_fkey" FOREIGN KEY ("ambitoId") REFERENCES "Ambito"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deliverable" ADD CONSTRAINT "Deliverable_ownerPersonId_fkey" FOREIGN KEY ("ownerPersonId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliverableEvent" ADD CONSTRAINT "DeliverableEvent_deliverableId_fkey" FOREIGN KEY ("deliverableId") REFERENCES "Deliverable"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Plan" ADD CONSTRAINT "Plan_ambitoId_fkey" FOREIGN KEY ("ambitoId") REFERENCES "Ambito"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Plan" ADD CONSTRAINT "Plan_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Plan"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanPeriod" ADD CONSTRAINT "PlanPeriod_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MacroAction" ADD CONSTRAINT "MacroAction_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Objective" ADD CONSTRAINT "Objective_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Objective" ADD CONSTRAINT "Objective_macroActionId_fkey" FOREIGN KEY ("macroActionId") REFERENCES "MacroAction"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Indicator" ADD CONSTRAINT "Indicator_objectiveId_fkey" FOREIGN KEY ("objectiveId") REFERENCES "Objective"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IndicatorTarget" ADD CONSTRAINT "IndicatorTarget_indicatorId_fkey" FOREIGN KEY ("indicatorId") REFERENCES "Indicator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IndicatorTarget" ADD CONSTRAINT "IndicatorTarget_periodId_fkey" FOREIGN KEY ("periodId") REFERENCES "PlanPeriod"("id") ON DELETE CASCADE ON UPDATE CASCADE;
