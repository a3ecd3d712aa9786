import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { parseCsv } from "../../app/domain/csv";
import { loader as ledgerLoader } from "../../app/routes/app.export.ledger";
import { loader as membersLoader } from "../../app/routes/app.export.members";
import { load, OTHER_SHOP, resetShop, seedMember, signIn } from "../support/admin";
import { TEST_SHOP } from "../support/shopify";

beforeEach(async () => {
  await resetShop();
  await resetShop(OTHER_SHOP);
  await signIn();
});

async function csvOf(response: Response) {
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
  return parseCsv(await response.text()).map((r) => r.cells);
}

describe("CSV export", () => {
  it("exports this shop's members with balances and tier, neutralising formulas", async () => {
    const gold = await prisma.tier.create({
      data: { shop: TEST_SHOP, name: "Gold", threshold: 1 },
    });
    const ada = await seedMember("1", 120, {
      email: "ada@example.com",
      firstName: '=HYPERLINK("http://evil")',
      lastName: "Lovelace, Countess",
    });
    await prisma.member.update({ where: { id: ada.id }, data: { tierId: gold.id } });
    await seedMember("2", 0, { email: "grace@example.com" });
    await seedMember("3", 999, { shop: OTHER_SHOP });

    const response = await load<Response>(membersLoader, "/app/export/members");
    expect(response.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="members-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const rows = await csvOf(response);

    expect(rows[0]).toEqual([
      "customer_id",
      "email",
      "first_name",
      "last_name",
      "points",
      "pending_points",
      "lifetime_earned",
      "tier",
      "expires_at",
      "joined_at",
    ]);
    const body = rows.slice(1).sort((a, b) => a[0]!.localeCompare(b[0]!));
    expect(body.map((r) => r.slice(0, 8))).toEqual([
      [
        "1",
        "ada@example.com",
        '\'=HYPERLINK("http://evil")',
        "Lovelace, Countess",
        "120",
        "0",
        "0",
        "Gold",
      ],
      ["2", "grace@example.com", "", "", "0", "0", "0", ""],
    ]);
  });

  it("exports the ledger with the running balance, only this shop's, oldest first", async () => {
    await seedMember("1", 50, { email: "ada@example.com" });
    await seedMember("9", 70, { shop: OTHER_SHOP });

    const rows = await csvOf(await load<Response>(ledgerLoader, "/app/export/ledger"));

    expect(rows).toHaveLength(2);
    expect(rows[1]!.slice(2, 10)).toEqual([
      "1",
      "ada@example.com",
      "MANUAL",
      "Manual adjustment",
      "50",
      "0",
      "50",
      "0",
    ]);
  });

  it("pages through more rows than one database page", async () => {
    await prisma.member.createMany({
      data: Array.from({ length: 1_205 }, (_, i) => ({
        shop: TEST_SHOP,
        customerId: String(10_000 + i),
      })),
    });
    const rows = await csvOf(await load<Response>(membersLoader, "/app/export/members"));
    expect(rows).toHaveLength(1_206);
    expect(new Set(rows.slice(1).map((r) => r[0])).size).toBe(1_205);
  });
});
