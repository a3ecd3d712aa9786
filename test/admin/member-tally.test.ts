// How many members a shop has, per tier, comes from MemberTally (kept by triggers on Member) rather
// than a count of the members on every members page and tiers page (issue #15: 130 ms at 1M).
import fc from "fast-check";
import { beforeEach, expect, it } from "vitest";
import { memberTotal } from "../../app/admin/members.server";
import prisma from "../../app/db.server";
import { foldMemberTally } from "../../app/loyalty/rollups.server";
import { resetShop } from "../support/engine";
import { TEST_SHOP } from "../support/shopify";

const OTHER_SHOP = "other-shop.myshopify.com";

beforeEach(async () => {
  await resetShop();
  await resetShop(OTHER_SHOP);
  await foldMemberTally(prisma);
});

type Step =
  | { op: "join"; tier: number | null; shop: string }
  | { op: "leave"; member: number }
  | { op: "move"; member: number; tier: number | null }
  | { op: "dropTier"; tier: number }
  | { op: "fold" };

const tierIndex = fc.option(fc.integer({ min: 0, max: 2 }), { nil: null });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant("join" as const),
    tier: tierIndex,
    shop: fc.constantFrom(TEST_SHOP, TEST_SHOP, OTHER_SHOP),
  }),
  fc.record({ op: fc.constant("leave" as const), member: fc.nat() }),
  fc.record({ op: fc.constant("move" as const), member: fc.nat(), tier: tierIndex }),
  fc.record({ op: fc.constant("dropTier" as const), tier: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ op: fc.constant("fold" as const) }),
);

it("counts a shop's members, all and per tier, through joins, redactions, tier moves and deleted tiers, folded or not", async () => {
  let serial = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(step, { maxLength: 25 }), async (steps) => {
      await prisma.member.deleteMany({ where: { shop: { in: [TEST_SHOP, OTHER_SHOP] } } });
      await prisma.tier.deleteMany({ where: { shop: TEST_SHOP } });
      const tiers: (string | null)[] = [];
      for (const name of ["Silver", "Gold", "Platinum"]) {
        tiers.push(
          (await prisma.tier.create({ data: { shop: TEST_SHOP, name, threshold: 100 } })).id,
        );
      }
      const members: string[] = [];
      for (const s of steps) {
        if (s.op === "join") {
          serial += 1;
          const tierId = s.shop === TEST_SHOP && s.tier !== null ? tiers[s.tier] : null;
          const member = await prisma.member.create({
            data: { shop: s.shop, customerId: String(serial), tierId: tierId ?? null },
          });
          members.push(member.id);
        } else if (s.op === "leave" && members.length) {
          const [id] = members.splice(s.member % members.length, 1);
          await prisma.member.delete({ where: { id } });
        } else if (s.op === "move" && members.length) {
          const id = members[s.member % members.length]!;
          const member = await prisma.member.findUniqueOrThrow({ where: { id } });
          const tierId = member.shop === TEST_SHOP && s.tier !== null ? tiers[s.tier] : null;
          await prisma.member.update({ where: { id }, data: { tierId: tierId ?? null } });
        } else if (s.op === "dropTier" && tiers[s.tier]) {
          // Its members keep their place in the program, with no tier (onDelete: SetNull).
          await prisma.tier.delete({ where: { id: tiers[s.tier]! } });
          tiers[s.tier] = null;
        } else if (s.op === "fold") {
          await foldMemberTally(prisma, 2);
        }
      }
      for (const shop of [TEST_SHOP, OTHER_SHOP]) {
        expect(await memberTotal(shop)).toBe(await prisma.member.count({ where: { shop } }));
      }
      expect(await memberTotal(TEST_SHOP, "none")).toBe(
        await prisma.member.count({ where: { shop: TEST_SHOP, tierId: null } }),
      );
      for (const tierId of tiers) {
        if (tierId) {
          expect(await memberTotal(TEST_SHOP, tierId)).toBe(
            await prisma.member.count({ where: { shop: TEST_SHOP, tierId } }),
          );
        }
      }
    }),
    { numRuns: 30 },
  );
});

it("loses no change when folds run while members join", async () => {
  const folds = async () => {
    for (let round = 0; round < 5; round += 1) await foldMemberTally(prisma, 4);
  };
  await Promise.all([
    ...Array.from({ length: 40 }, (_, i) =>
      prisma.member.create({ data: { shop: TEST_SHOP, customerId: String(5000 + i) } }),
    ),
    folds(),
    folds(),
  ]);
  expect(await memberTotal(TEST_SHOP)).toBe(40);
  await foldMemberTally(prisma);
  expect(await prisma.memberTallyDelta.count({ where: { shop: TEST_SHOP } })).toBe(0);
  expect(await memberTotal(TEST_SHOP)).toBe(40);
});
