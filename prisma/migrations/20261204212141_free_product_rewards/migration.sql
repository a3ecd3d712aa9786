-- Free product rewards (issue #13): the reward type, and the variant a reward gives one unit of
-- (its price is read when a member redeems, into the redemption's terms).

-- AlterTable
ALTER TABLE "Reward" ADD COLUMN "variant" JSONB;

