-- Birthdays (issue #12): the birthday a member gives in the widget and the program's birthday
-- points (app/loyalty/birthdays.server.ts).

-- AlterEnum
ALTER TYPE "EntrySource" ADD VALUE 'BIRTHDAY';

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "birthDay" INTEGER,
ADD COLUMN     "birthMonth" INTEGER,
ADD COLUMN     "birthdaySetAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "birthdayPoints" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Member_shop_birthMonth_birthDay_idx" ON "Member"("shop", "birthMonth", "birthDay");

