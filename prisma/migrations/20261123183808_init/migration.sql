-- CreateEnum
CREATE TYPE "Role" AS ENUM ('CLERK', 'READER', 'AUDITOR', 'MANAGER', 'ADMIN');

-- CreateEnum
CREATE TYPE "RequestStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "CustomerCategory" AS ENUM ('RESIDENTIAL', 'NON_RESIDENTIAL', 'LARGE', 'TEMPORARY');

-- CreateEnum
CREATE TYPE "UsageType" AS ENUM ('RESIDENTIAL', 'COMMERCIAL', 'INDUSTRIAL', 'AGRICULTURAL', 'PUBLIC');

-- CreateEnum
CREATE TYPE "CustomerStatus" AS ENUM ('ACTIVE', 'SUSPENDED', 'CLOSURE_PROPOSED', 'CLOSED');

-- CreateEnum
CREATE TYPE "PaymentMethod" AS ENUM ('COUNTER', 'BANK_DEBIT', 'ONLINE', 'PREPAID');

-- CreateEnum
CREATE TYPE "ContactRole" AS ENUM ('SELF', 'PROXY', 'LANDLORD', 'TENANT', 'FINANCE');

-- CreateEnum
CREATE TYPE "Channel" AS ENUM ('SMS', 'PHONE', 'LANDLINE', 'WECHAT', 'EMAIL', 'POST', 'ON_SITE', 'POSTED_NOTICE', 'FAX');

-- CreateEnum
CREATE TYPE "ReadingSource" AS ENUM ('MANUAL', 'REMOTE', 'ESTIMATED', 'CATCH_UP');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('QUEUED', 'RUNNING', 'CANCELLING', 'CANCELLED', 'COMPLETED', 'FAILED');

-- CreateEnum
CREATE TYPE "BillStatus" AS ENUM ('DRAFT', 'HELD', 'RELEASED', 'REVERSED');

-- CreateEnum
CREATE TYPE "ExceptionStatus" AS ENUM ('OPEN', 'CLEARED');

-- CreateEnum
CREATE TYPE "PaymentChannel" AS ENUM ('COUNTER_CASH', 'COUNTER_CARD', 'BANK_DEBIT', 'WECHAT', 'ALIPAY', 'UNIONPAY', 'MOBILE_BANK', 'KIOSK', 'PREPAID_TOPUP');

-- CreateEnum
CREATE TYPE "PaymentStatus" AS ENUM ('POSTED', 'REVERSED');

-- CreateEnum
CREATE TYPE "LedgerKind" AS ENUM ('OPENING', 'BILL', 'LATE_FEE', 'PAYMENT', 'REVERSAL', 'ADJUSTMENT', 'WRITE_OFF', 'WAIVER');

-- CreateTable
CREATE TABLE "station" (
    "id" SERIAL NOT NULL,
    "code" VARCHAR(20) NOT NULL,
    "name" TEXT NOT NULL,
    "timezone" TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "station_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_user" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "username" VARCHAR(40) NOT NULL,
    "name" TEXT NOT NULL,
    "phone" VARCHAR(20),
    "password_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "session_version" INTEGER NOT NULL DEFAULT 0,
    "failed_logins" INTEGER NOT NULL DEFAULT 0,
    "last_failed_at" TIMESTAMPTZ(3),
    "last_login_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "zone" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "staff_id" INTEGER,

    CONSTRAINT "zone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "district" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "code" VARCHAR(30) NOT NULL,
    "name" TEXT NOT NULL,
    "zone_id" INTEGER,
    "capacity_kva" INTEGER,

    CONSTRAINT "district_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "line" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "code" VARCHAR(30) NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "street" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "street_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "route" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "code" VARCHAR(30) NOT NULL,
    "name" TEXT NOT NULL,
    "reading_day" INTEGER NOT NULL,
    "reader_id" INTEGER,
    "remote" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "route_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reading_day_change" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "route_id" INTEGER NOT NULL,
    "old_day" INTEGER NOT NULL,
    "new_day" INTEGER NOT NULL,
    "from_period" VARCHAR(7) NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "RequestStatus" NOT NULL DEFAULT 'PENDING',
    "requested_by" INTEGER NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_by" INTEGER,
    "decided_at" TIMESTAMPTZ(3),
    "decision_note" TEXT,

    CONSTRAINT "reading_day_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reading_day_confirmation" (
    "id" SERIAL NOT NULL,
    "change_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "confirmed_at" TIMESTAMPTZ(3) NOT NULL,
    "channel" VARCHAR(20) NOT NULL,
    "recorded_by" INTEGER,

    CONSTRAINT "reading_day_confirmation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment_account" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "payment_no" VARCHAR(20) NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "customer_no" VARCHAR(20) NOT NULL,
    "name" TEXT NOT NULL,
    "phone" VARCHAR(20),
    "address" TEXT NOT NULL,
    "category" "CustomerCategory" NOT NULL,
    "usage_type" "UsageType" NOT NULL,
    "status" "CustomerStatus" NOT NULL DEFAULT 'ACTIVE',
    "household_size" INTEGER NOT NULL DEFAULT 3,
    "large_household_until" DATE,
    "payment_method" "PaymentMethod" NOT NULL,
    "bank_account_masked" VARCHAR(40),
    "flags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "district_id" INTEGER NOT NULL,
    "line_id" INTEGER NOT NULL,
    "street_id" INTEGER NOT NULL,
    "route_id" INTEGER NOT NULL,
    "route_seq" INTEGER NOT NULL,
    "payment_account_id" INTEGER,
    "assigned_staff_id" INTEGER,
    "tariff_id" INTEGER NOT NULL,
    "time_of_use" BOOLEAN NOT NULL DEFAULT false,
    "capacity_kva" INTEGER,
    "fee_control_state" VARCHAR(10) NOT NULL DEFAULT 'NORMAL',
    "opened_on" DATE NOT NULL,
    "closed_on" DATE,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account_holder" (
    "id" SERIAL NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "kind" VARCHAR(12) NOT NULL,
    "id_number" VARCHAR(30),
    "from_date" DATE NOT NULL,
    "to_date" DATE,

    CONSTRAINT "account_holder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact" (
    "id" SERIAL NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "role" "ContactRole" NOT NULL,
    "channel" "Channel" NOT NULL,
    "value" VARCHAR(120) NOT NULL,
    "consent" BOOLEAN NOT NULL DEFAULT true,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "note" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "meter" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "meter_no" VARCHAR(30) NOT NULL,
    "model" TEXT,
    "digits" INTEGER NOT NULL DEFAULT 6,
    "registers" TEXT[] DEFAULT ARRAY['TOTAL']::TEXT[],
    "remote" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "meter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "meter_installation" (
    "id" SERIAL NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "meter_id" INTEGER NOT NULL,
    "multiplier" INTEGER NOT NULL DEFAULT 1,
    "installed_on" DATE NOT NULL,
    "start_reading" DECIMAL(12,2) NOT NULL,
    "start_peak" DECIMAL(12,2),
    "removed_on" DATE,
    "final_reading" DECIMAL(12,2),
    "final_peak" DECIMAL(12,2),
    "reason" TEXT,

    CONSTRAINT "meter_installation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reading" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "installation_id" INTEGER NOT NULL,
    "period" VARCHAR(7) NOT NULL,
    "scheduled_on" DATE NOT NULL,
    "read_at" TIMESTAMPTZ(3),
    "total" DECIMAL(12,2),
    "peak" DECIMAL(12,2),
    "valley" DECIMAL(12,2),
    "reactive" DECIMAL(12,2),
    "demand_kw" DECIMAL(10,2),
    "source" "ReadingSource" NOT NULL,
    "reason_code" VARCHAR(30),
    "observations" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "reader_id" INTEGER,
    "client_key" VARCHAR(80),
    "photo_path" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reading_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tariff" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER,
    "code" VARCHAR(40) NOT NULL,
    "name" TEXT NOT NULL,
    "category" "CustomerCategory" NOT NULL,

    CONSTRAINT "tariff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tariff_version" (
    "id" SERIAL NOT NULL,
    "tariff_id" INTEGER NOT NULL,
    "effective_from" DATE NOT NULL,
    "definition" JSONB NOT NULL,
    "source" TEXT,
    "created_by" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tariff_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing_run" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "period" VARCHAR(7) NOT NULL,
    "route_ids" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "billed" INTEGER NOT NULL DEFAULT 0,
    "held" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "started_by" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "released_at" TIMESTAMPTZ(3),
    "released_by" INTEGER,

    CONSTRAINT "billing_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bill" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "period" VARCHAR(7) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "billing_run_id" INTEGER,
    "kwh" INTEGER NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "paid_amount" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "lines" JSONB NOT NULL,
    "status" "BillStatus" NOT NULL DEFAULT 'DRAFT',
    "reading_id" INTEGER,
    "tariff_version_id" INTEGER,
    "estimated" BOOLEAN NOT NULL DEFAULT false,
    "issue_date" DATE,
    "due_date" DATE NOT NULL,
    "settled_on" DATE,
    "late_fee_through" DATE,
    "reversal_of_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "released_at" TIMESTAMPTZ(3),

    CONSTRAINT "bill_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_exception" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "bill_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "period" VARCHAR(7) NOT NULL,
    "code" VARCHAR(40) NOT NULL,
    "details" JSONB NOT NULL,
    "status" "ExceptionStatus" NOT NULL DEFAULT 'OPEN',
    "resolution" VARCHAR(30),
    "note" TEXT,
    "cleared_by" INTEGER,
    "cleared_at" TIMESTAMPTZ(3),

    CONSTRAINT "audit_exception_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "customer_id" INTEGER,
    "payment_account_id" INTEGER,
    "amount" DECIMAL(14,2) NOT NULL,
    "channel" "PaymentChannel" NOT NULL,
    "reference" VARCHAR(80),
    "partner_id" INTEGER,
    "idempotency_key" VARCHAR(100) NOT NULL,
    "receipt_no" VARCHAR(30),
    "value_date" DATE NOT NULL,
    "posted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "clerk_id" INTEGER,
    "status" "PaymentStatus" NOT NULL DEFAULT 'POSTED',

    CONSTRAINT "payment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment_allocation" (
    "id" SERIAL NOT NULL,
    "payment_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "bill_id" INTEGER,
    "principal" DECIMAL(14,2) NOT NULL,
    "late_fee" DECIMAL(14,2) NOT NULL DEFAULT 0,

    CONSTRAINT "payment_allocation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_entry" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "kind" "LedgerKind" NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "value_date" DATE NOT NULL,
    "posted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "book_month" VARCHAR(7) NOT NULL,
    "bill_id" INTEGER,
    "payment_id" INTEGER,
    "actor_id" INTEGER,
    "memo" TEXT,

    CONSTRAINT "ledger_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "month_close" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "month" VARCHAR(7) NOT NULL,
    "figures" JSONB NOT NULL,
    "closed_by" INTEGER,
    "closed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "month_close_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "kind" VARCHAR(30) NOT NULL,
    "target_type" VARCHAR(30) NOT NULL,
    "target_id" INTEGER NOT NULL,
    "payload" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "RequestStatus" NOT NULL DEFAULT 'PENDING',
    "requested_by" INTEGER NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_by" INTEGER,
    "decided_at" TIMESTAMPTZ(3),

    CONSTRAINT "approval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "partner" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "code" VARCHAR(30) NOT NULL,
    "name" TEXT NOT NULL,
    "channel" "PaymentChannel" NOT NULL,
    "key_hash" TEXT NOT NULL,
    "key_prefix" VARCHAR(12) NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "partner_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_batch" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "kind" VARCHAR(30) NOT NULL,
    "file_name" TEXT NOT NULL,
    "sha256" VARCHAR(64) NOT NULL,
    "rows" INTEGER NOT NULL,
    "accepted" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "report" JSONB NOT NULL,
    "created_by" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "import_batch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cash_up" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "clerk_id" INTEGER,
    "figures" JSONB NOT NULL,
    "closed_by" INTEGER NOT NULL,
    "closed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cash_up_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "arrears_case" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "cause" VARCHAR(30) NOT NULL,
    "status" VARCHAR(20) NOT NULL DEFAULT 'OPEN',
    "owner_id" INTEGER,
    "task_force" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "arrears_case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "credit_grade" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "period" VARCHAR(7) NOT NULL,
    "grade" CHAR(1) NOT NULL,
    "reasons" TEXT[],
    "factors" JSONB NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "credit_grade_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "grade_override" (
    "id" SERIAL NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "grade" CHAR(1) NOT NULL,
    "until" DATE NOT NULL,
    "reason" TEXT NOT NULL,
    "approved_by" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "grade_override_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reminder" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "customer_id" INTEGER,
    "payment_account_id" INTEGER,
    "bill_id" INTEGER,
    "kind" VARCHAR(30) NOT NULL,
    "channel" "Channel",
    "contact_id" INTEGER,
    "planned_at" TIMESTAMPTZ(3) NOT NULL,
    "status" VARCHAR(20) NOT NULL DEFAULT 'PLANNED',
    "outbox_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reminder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "visit" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "staff_id" INTEGER,
    "purpose" VARCHAR(30) NOT NULL,
    "planned_on" DATE NOT NULL,
    "done_at" TIMESTAMPTZ(3),
    "outcome" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "visit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment_arrangement" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "promised_by" DATE NOT NULL,
    "status" "RequestStatus" NOT NULL DEFAULT 'PENDING',
    "kept" BOOLEAN,
    "note" TEXT,
    "requested_by" INTEGER NOT NULL,
    "approved_by" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_arrangement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "disconnection_order" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "reason" VARCHAR(20) NOT NULL,
    "status" VARCHAR(20) NOT NULL DEFAULT 'PROPOSED',
    "arrears" DECIMAL(14,2) NOT NULL,
    "proposed_by" INTEGER,
    "approved_by" INTEGER,
    "approved_at" TIMESTAMPTZ(3),
    "notice_served_at" TIMESTAMPTZ(3),
    "scheduled_at" TIMESTAMPTZ(3),
    "executed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "disconnection_order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reconnection_order" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "disconnection_id" INTEGER NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "due_by" TIMESTAMPTZ(3) NOT NULL,
    "executed_at" TIMESTAMPTZ(3),

    CONSTRAINT "reconnection_order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "complaint" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "customer_id" INTEGER,
    "kind" VARCHAR(20) NOT NULL,
    "content" TEXT NOT NULL,
    "status" VARCHAR(20) NOT NULL DEFAULT 'OPEN',
    "malicious" BOOLEAN NOT NULL DEFAULT false,
    "received_by" INTEGER,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "complaint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "follow_up_call" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "subject" VARCHAR(30) NOT NULL,
    "subject_id" INTEGER,
    "called_by" INTEGER,
    "called_at" TIMESTAMPTZ(3) NOT NULL,
    "outcome" TEXT NOT NULL,

    CONSTRAINT "follow_up_call_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_message" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER NOT NULL,
    "customer_id" INTEGER,
    "contact_id" INTEGER,
    "channel" "Channel" NOT NULL,
    "recipient" VARCHAR(120) NOT NULL,
    "template" VARCHAR(40) NOT NULL,
    "content" TEXT NOT NULL,
    "status" VARCHAR(12) NOT NULL DEFAULT 'PENDING',
    "dedupe_key" VARCHAR(120) NOT NULL,
    "not_before" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "sent_at" TIMESTAMPTZ(3),
    "provider_ref" TEXT,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "setting" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER,
    "key" VARCHAR(60) NOT NULL,
    "value" JSONB NOT NULL,
    "effective_from" DATE NOT NULL,
    "created_by" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "setting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "calendar_day" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER,
    "day" DATE NOT NULL,
    "kind" VARCHAR(10) NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "calendar_day_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "opening_usage" (
    "id" SERIAL NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "tariff_year" INTEGER NOT NULL,
    "kwh" INTEGER NOT NULL,

    CONSTRAINT "opening_usage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" SERIAL NOT NULL,
    "station_id" INTEGER,
    "actor_id" INTEGER,
    "action" VARCHAR(60) NOT NULL,
    "target_type" VARCHAR(40) NOT NULL,
    "target_id" VARCHAR(40),
    "before" JSONB,
    "after" JSONB,
    "reason" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "station_code_key" ON "station"("code");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_username_key" ON "app_user"("username");

-- CreateIndex
CREATE INDEX "app_user_station_id_role_idx" ON "app_user"("station_id", "role");

-- CreateIndex
CREATE UNIQUE INDEX "zone_station_id_name_key" ON "zone"("station_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "district_station_id_code_key" ON "district"("station_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "line_station_id_code_key" ON "line"("station_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "street_station_id_name_key" ON "street"("station_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "route_station_id_code_key" ON "route"("station_id", "code");

-- CreateIndex
CREATE INDEX "reading_day_change_route_id_status_idx" ON "reading_day_change"("route_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "reading_day_confirmation_change_id_customer_id_key" ON "reading_day_confirmation"("change_id", "customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "payment_account_station_id_payment_no_key" ON "payment_account"("station_id", "payment_no");

-- CreateIndex
CREATE INDEX "customer_route_id_route_seq_idx" ON "customer"("route_id", "route_seq");

-- CreateIndex
CREATE INDEX "customer_payment_account_id_idx" ON "customer"("payment_account_id");

-- CreateIndex
CREATE INDEX "customer_district_id_idx" ON "customer"("district_id");

-- CreateIndex
CREATE UNIQUE INDEX "customer_station_id_customer_no_key" ON "customer"("station_id", "customer_no");

-- CreateIndex
CREATE INDEX "account_holder_customer_id_from_date_idx" ON "account_holder"("customer_id", "from_date");

-- CreateIndex
CREATE INDEX "contact_customer_id_idx" ON "contact"("customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "meter_station_id_meter_no_key" ON "meter"("station_id", "meter_no");

-- CreateIndex
CREATE INDEX "meter_installation_customer_id_installed_on_idx" ON "meter_installation"("customer_id", "installed_on");

-- CreateIndex
CREATE INDEX "meter_installation_meter_id_idx" ON "meter_installation"("meter_id");

-- CreateIndex
CREATE UNIQUE INDEX "reading_client_key_key" ON "reading"("client_key");

-- CreateIndex
CREATE INDEX "reading_station_id_period_idx" ON "reading"("station_id", "period");

-- CreateIndex
CREATE INDEX "reading_customer_id_period_idx" ON "reading"("customer_id", "period");

-- CreateIndex
CREATE UNIQUE INDEX "reading_installation_id_period_key" ON "reading"("installation_id", "period");

-- CreateIndex
CREATE UNIQUE INDEX "tariff_code_key" ON "tariff"("code");

-- CreateIndex
CREATE UNIQUE INDEX "tariff_version_tariff_id_effective_from_key" ON "tariff_version"("tariff_id", "effective_from");

-- CreateIndex
CREATE INDEX "billing_run_station_id_period_idx" ON "billing_run"("station_id", "period");

-- CreateIndex
CREATE INDEX "bill_station_id_period_status_idx" ON "bill"("station_id", "period", "status");

-- CreateIndex
CREATE INDEX "bill_billing_run_id_idx" ON "bill"("billing_run_id");

-- CreateIndex
CREATE UNIQUE INDEX "bill_customer_id_period_version_key" ON "bill"("customer_id", "period", "version");

-- CreateIndex
CREATE INDEX "audit_exception_station_id_period_status_idx" ON "audit_exception"("station_id", "period", "status");

-- CreateIndex
CREATE UNIQUE INDEX "audit_exception_bill_id_code_key" ON "audit_exception"("bill_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "payment_idempotency_key_key" ON "payment"("idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "payment_receipt_no_key" ON "payment"("receipt_no");

-- CreateIndex
CREATE INDEX "payment_customer_id_value_date_idx" ON "payment"("customer_id", "value_date");

-- CreateIndex
CREATE INDEX "payment_station_id_posted_at_idx" ON "payment"("station_id", "posted_at");

-- CreateIndex
CREATE INDEX "payment_allocation_payment_id_idx" ON "payment_allocation"("payment_id");

-- CreateIndex
CREATE INDEX "payment_allocation_bill_id_idx" ON "payment_allocation"("bill_id");

-- CreateIndex
CREATE INDEX "ledger_entry_customer_id_value_date_idx" ON "ledger_entry"("customer_id", "value_date");

-- CreateIndex
CREATE INDEX "ledger_entry_station_id_book_month_kind_idx" ON "ledger_entry"("station_id", "book_month", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "month_close_station_id_month_key" ON "month_close"("station_id", "month");

-- CreateIndex
CREATE INDEX "approval_station_id_status_idx" ON "approval"("station_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "partner_code_key" ON "partner"("code");

-- CreateIndex
CREATE INDEX "import_batch_station_id_kind_sha256_idx" ON "import_batch"("station_id", "kind", "sha256");

-- CreateIndex
CREATE UNIQUE INDEX "cash_up_station_id_day_clerk_id_key" ON "cash_up"("station_id", "day", "clerk_id");

-- CreateIndex
CREATE INDEX "arrears_case_customer_id_idx" ON "arrears_case"("customer_id");

-- CreateIndex
CREATE INDEX "arrears_case_station_id_status_idx" ON "arrears_case"("station_id", "status");

-- CreateIndex
CREATE INDEX "credit_grade_station_id_period_grade_idx" ON "credit_grade"("station_id", "period", "grade");

-- CreateIndex
CREATE UNIQUE INDEX "credit_grade_customer_id_period_key" ON "credit_grade"("customer_id", "period");

-- CreateIndex
CREATE INDEX "grade_override_customer_id_idx" ON "grade_override"("customer_id");

-- CreateIndex
CREATE INDEX "reminder_customer_id_planned_at_idx" ON "reminder"("customer_id", "planned_at");

-- CreateIndex
CREATE INDEX "reminder_station_id_status_planned_at_idx" ON "reminder"("station_id", "status", "planned_at");

-- CreateIndex
CREATE INDEX "visit_customer_id_idx" ON "visit"("customer_id");

-- CreateIndex
CREATE INDEX "visit_station_id_staff_id_planned_on_idx" ON "visit"("station_id", "staff_id", "planned_on");

-- CreateIndex
CREATE INDEX "payment_arrangement_customer_id_idx" ON "payment_arrangement"("customer_id");

-- CreateIndex
CREATE INDEX "disconnection_order_customer_id_idx" ON "disconnection_order"("customer_id");

-- CreateIndex
CREATE INDEX "disconnection_order_station_id_status_idx" ON "disconnection_order"("station_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "reconnection_order_disconnection_id_key" ON "reconnection_order"("disconnection_id");

-- CreateIndex
CREATE INDEX "reconnection_order_station_id_executed_at_idx" ON "reconnection_order"("station_id", "executed_at");

-- CreateIndex
CREATE INDEX "complaint_customer_id_idx" ON "complaint"("customer_id");

-- CreateIndex
CREATE INDEX "follow_up_call_customer_id_idx" ON "follow_up_call"("customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_message_dedupe_key_key" ON "outbox_message"("dedupe_key");

-- CreateIndex
CREATE INDEX "outbox_message_status_not_before_idx" ON "outbox_message"("status", "not_before");

-- CreateIndex
CREATE INDEX "outbox_message_customer_id_idx" ON "outbox_message"("customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "setting_station_id_key_effective_from_key" ON "setting"("station_id", "key", "effective_from");

-- CreateIndex
CREATE UNIQUE INDEX "calendar_day_station_id_day_key" ON "calendar_day"("station_id", "day");

-- CreateIndex
CREATE UNIQUE INDEX "opening_usage_customer_id_tariff_year_key" ON "opening_usage"("customer_id", "tariff_year");

-- CreateIndex
CREATE INDEX "audit_log_target_type_target_id_idx" ON "audit_log"("target_type", "target_id");

-- CreateIndex
CREATE INDEX "audit_log_station_id_at_idx" ON "audit_log"("station_id", "at");

-- AddForeignKey
ALTER TABLE "app_user" ADD CONSTRAINT "app_user_station_id_fkey" FOREIGN KEY ("station_id") REFERENCES "station"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "zone" ADD CONSTRAINT "zone_station_id_fkey" FOREIGN KEY ("station_id") REFERENCES "station"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "zone" ADD CONSTRAINT "zone_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "district" ADD CONSTRAINT "district_station_id_fkey" FOREIGN KEY ("station_id") REFERENCES "station"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "district" ADD CONSTRAINT "district_zone_id_fkey" FOREIGN KEY ("zone_id") REFERENCES "zone"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "line" ADD CONSTRAINT "line_station_id_fkey" FOREIGN KEY ("station_id") REFERENCES "station"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "street" ADD CONSTRAINT "street_station_id_fkey" FOREIGN KEY ("station_id") REFERENCES "station"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "route" ADD CONSTRAINT "route_station_id_fkey" FOREIGN KEY ("station_id") REFERENCES "station"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "route" ADD CONSTRAINT "route_reader_id_fkey" FOREIGN KEY ("reader_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reading_day_change" ADD CONSTRAINT "reading_day_change_route_id_fkey" FOREIGN KEY ("route_id") REFERENCES "route"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reading_day_confirmation" ADD CONSTRAINT "reading_day_confirmation_change_id_fkey" FOREIGN KEY ("change_id") REFERENCES "reading_day_change"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer" ADD CONSTRAINT "customer_station_id_fkey" FOREIGN KEY ("station_id") REFERENCES "station"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer" ADD CONSTRAINT "customer_payment_account_id_fkey" FOREIGN KEY ("payment_account_id") REFERENCES "payment_account"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer" ADD CONSTRAINT "customer_tariff_id_fkey" FOREIGN KEY ("tariff_id") REFERENCES "tariff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_holder" ADD CONSTRAINT "account_holder_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact" ADD CONSTRAINT "contact_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "meter_installation" ADD CONSTRAINT "meter_installation_meter_id_fkey" FOREIGN KEY ("meter_id") REFERENCES "meter"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tariff_version" ADD CONSTRAINT "tariff_version_tariff_id_fkey" FOREIGN KEY ("tariff_id") REFERENCES "tariff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_allocation" ADD CONSTRAINT "payment_allocation_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
