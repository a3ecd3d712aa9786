-- Birthdays (issue #12): the birthday a member gives in the widget and the program's birthday
-- points (app/loyalty/birthdays.server.ts).

-- AlterTable
ALTER TABLE "Member" ADD COLUMN "birthDay" INTEGER;
ALTER TABLE "Member" ADD COLUMN "birthMonth" INTEGER;
ALTER TABLE "Member" ADD COLUMN "birthdaySetAt" DATETIME;

-- AlterTable (ADD COLUMN rather than Prisma's rebuild of the table, which would drop Program's
-- storefront_config_version triggers)
ALTER TABLE "Program" ADD COLUMN "birthdayPoints" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Member_shop_birthMonth_birthDay_idx" ON "Member"("shop", "birthMonth", "birthDay");

