-- AlterTable
ALTER TABLE "app_user" ADD COLUMN IF NOT EXISTS "must_change_password" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN IF NOT EXISTS "totp_secret" TEXT,
ADD COLUMN IF NOT EXISTS "totp_pending_secret" TEXT,
ADD COLUMN IF NOT EXISTS "totp_enrolled_at" TIMESTAMPTZ(3),
ADD COLUMN IF NOT EXISTS "totp_last_step" INTEGER;

-- CreateTable
CREATE TABLE IF NOT EXISTS "auth_session" (
    "id" VARCHAR(64) NOT NULL,
    "user_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_reason" VARCHAR(30),
    "mfa" BOOLEAN NOT NULL DEFAULT false,
    "ip" VARCHAR(64),

    CONSTRAINT "auth_session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE IF NOT EXISTS "user_recovery_code" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "code_hash" VARCHAR(64) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "user_recovery_code_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE IF NOT EXISTS "login_throttle" (
    "user_id" INTEGER NOT NULL,
    "address" VARCHAR(64) NOT NULL,
    "failures" INTEGER NOT NULL,
    "last_failed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "login_throttle_pkey" PRIMARY KEY ("user_id","address")
);

-- CreateIndex
CREATE INDEX IF NOT EXISTS "auth_session_user_id_idx" ON "auth_session"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX IF NOT EXISTS "user_recovery_code_user_id_code_hash_key" ON "user_recovery_code"("user_id", "code_hash");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "login_throttle_last_failed_at_idx" ON "login_throttle"("last_failed_at");

-- AddForeignKey
ALTER TABLE "auth_session" DROP CONSTRAINT IF EXISTS "auth_session_user_id_fkey";
ALTER TABLE "auth_session" ADD CONSTRAINT "auth_session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_recovery_code" DROP CONSTRAINT IF EXISTS "user_recovery_code_user_id_fkey";
ALTER TABLE "user_recovery_code" ADD CONSTRAINT "user_recovery_code_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
