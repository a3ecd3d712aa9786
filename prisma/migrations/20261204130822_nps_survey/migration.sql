-- The NPS survey (issue #12): members' answers in the widget and the program's survey settings
-- (app/loyalty/surveys.server.ts).

-- CreateTable
CREATE TABLE "NpsResponse" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "comment" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "NpsResponse_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable (ADD COLUMN rather than Prisma's rebuild of the table, which would drop Program's
-- storefront_config_version triggers)
ALTER TABLE "Program" ADD COLUMN "npsSurvey" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Program" ADD COLUMN "npsPoints" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Program" ADD COLUMN "npsIntervalDays" INTEGER NOT NULL DEFAULT 90;

-- CreateIndex
CREATE INDEX "NpsResponse_shop_createdAt_idx" ON "NpsResponse"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "NpsResponse_memberId_createdAt_idx" ON "NpsResponse"("memberId", "createdAt");

