// Its own file, so its own database: the 22,000 members it needs stay out of the other tests'.
import { beforeAll, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { loader as listLoader } from "../../app/routes/app.members._index";
import { load, signIn } from "../support/admin";
import { TEST_SHOP } from "../support/shopify";

type Listed = Awaited<ReturnType<typeof listLoader>>;

beforeAll(async () => {
  await signIn();
});

it("finds matches bunched past the walk's window, at the far end of the order", async () => {
  // 21,000 members that do not match come first in balance order: a walk gives up before the
  // 1,100 that do (WALK_WINDOW), so the search gathers and sorts them instead.
  for (let start = 0; start < 21_000; start += 7_000) {
    await prisma.member.createMany({
      data: Array.from({ length: 7_000 }, (_, k) => ({
        shop: TEST_SHOP,
        customerId: String(100_000 + start + k),
        email: `other${start + k}@example.net`,
        balance: 100 + ((start + k) % 7),
      })),
    });
  }
  await prisma.member.createMany({
    data: Array.from({ length: 1100 }, (_, i) => ({
      shop: TEST_SHOP,
      customerId: String(200_000 + i),
      email: `late${i}@bunched.example`,
      balance: i % 3,
    })),
  });
  const expected = await prisma.member.findMany({
    where: { shop: TEST_SHOP, email: { endsWith: "@bunched.example" } },
    orderBy: [{ balance: "desc" }, { id: "desc" }],
    select: { id: true },
    take: 100,
  });
  const first = await load<Listed>(listLoader, "/app/members?q=bunched");
  expect(first).toMatchObject({ total: 1000, totalCapped: true, hasNext: true });
  expect(first.members.map((m) => m.id)).toEqual(expected.slice(0, 50).map((m) => m.id));
  const next = await load<Listed>(
    listLoader,
    `/app/members?q=bunched&page=2&after=${first.members.at(-1)!.id}`,
  );
  expect(next.members.map((m) => m.id)).toEqual(expected.slice(50).map((m) => m.id));
});
