-- Social follows (issue #12): the networks a program gives points for following
-- (app/loyalty/social.server.ts).

-- AlterEnum
ALTER TYPE "EntrySource" ADD VALUE 'SOCIAL';

-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "socialFollows" JSONB;

