-- The NPS survey (issue #12): members' answers in the widget and the program's survey settings
-- (app/loyalty/surveys.server.ts).

-- AlterEnum
ALTER TYPE "EntrySource" ADD VALUE 'SURVEY';

-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "npsIntervalDays" INTEGER NOT NULL DEFAULT 90,
ADD COLUMN     "npsPoints" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "npsSurvey" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "NpsResponse" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "comment" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NpsResponse_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "NpsResponse_shop_createdAt_idx" ON "NpsResponse"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "NpsResponse_memberId_createdAt_idx" ON "NpsResponse"("memberId", "createdAt");

-- AddForeignKey
ALTER TABLE "NpsResponse" ADD CONSTRAINT "NpsResponse_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

