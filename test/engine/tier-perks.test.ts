import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { syncTierPerks, TIER_PERKS_TITLE } from "../../app/loyalty/tier-perks.server";
import { unauthenticated } from "../../app/shopify.server";
import { adminSandbox } from "../support/admin-sandbox";
import { syncCustomers } from "../../app/loyalty/customer-sync.server";
import { quoteCheckout } from "../../sandbox/shopify/checkout";
import { seedMember } from "../support/admin";
import { resetShop } from "../support/engine";
import { storeOfflineSession, TEST_SHOP } from "../support/shopify";

/**
 * The automatic discount that gives tier perks at checkout, kept in step with the tiers through
 * the Admin API simulation on the real schema: created once, whatever answer is lost, its config
 * written only when the perks change, and created again if the merchant deleted it.
 */

const sandbox = adminSandbox();
const adminFor = async (shop: string) => (await unauthenticated.admin(shop)).admin;
const sync = () => syncTierPerks(prisma, adminFor, new Date(), { shop: TEST_SHOP });

const discounts = () => [...sandbox.api.state.automaticDiscounts.values()];
const configOf = (discountId: string) => {
  const field = [...sandbox.api.state.metafields.values()].find(
    (m) => m.ownerId === discountId && m.key === "tier-perks",
  );
  return field ? (JSON.parse(field.value) as unknown) : null;
};
const calls = (field: string) =>
  sandbox.api.state.calls.filter((c) => c.rootFields.includes(field)).length;
const program = () => prisma.program.findUniqueOrThrow({ where: { shop: TEST_SHOP } });

beforeEach(async () => {
  await resetShop();
  await prisma.session.deleteMany();
  await storeOfflineSession();
  await prisma.program.create({ data: { shop: TEST_SHOP } });
  await prisma.tier.createMany({
    data: [
      { shop: TEST_SHOP, name: "Silver", threshold: 0 },
      { shop: TEST_SHOP, name: "Gold", threshold: 1000, perkPercent: 10, perkFreeShipping: true },
    ],
  });
});

describe("tier perks at checkout", () => {
  it("creates one automatic discount running the function, with the perks as its config", async () => {
    expect(await sync()).toEqual({ synced: 1, failed: 0 });
    const [discount] = discounts();
    expect(discounts()).toHaveLength(1);
    expect(discount).toMatchObject({
      title: TIER_PERKS_TITLE,
      functionHandle: "tier-perks",
      discountClasses: ["ORDER", "SHIPPING"],
    });
    expect((await program()).tierPerksDiscountId).toBe(discount!.id);
    expect(configOf(discount!.id)).toEqual({
      version: 1,
      tiers: { Gold: { percentage: 10, freeShipping: true } },
    });
    // Nothing changed: nothing is written, only the discount's existence checked.
    const writes = () => calls("discountAutomaticAppCreate") + calls("metafieldsSet");
    const before = writes();
    expect(await sync()).toEqual({ synced: 0, failed: 0 });
    expect(writes()).toBe(before);
    expect(calls("discountNode")).toBe(1);
  });

  it("writes the config again when a tier's perks change, on the same discount", async () => {
    await sync();
    await prisma.tier.updateMany({
      where: { shop: TEST_SHOP, name: "Silver" },
      data: { perkFreeShipping: true },
    });
    expect(await sync()).toEqual({ synced: 1, failed: 0 });
    expect(discounts()).toHaveLength(1);
    expect(configOf(discounts()[0]!.id)).toEqual({
      version: 1,
      tiers: { Silver: { freeShipping: true }, Gold: { percentage: 10, freeShipping: true } },
    });
    expect(calls("discountAutomaticAppCreate")).toBe(1);
  });

  it("finds the discount a create whose answer was lost made, instead of making a second", async () => {
    sandbox.api.state.faults.push({ kind: "lostResponse", match: "discountAutomaticAppCreate" });
    expect(await sync()).toEqual({ synced: 0, failed: 1 });
    expect((await program()).tierPerksError).toMatch(/did not confirm/);
    expect(discounts()).toHaveLength(1);
    expect(await sync()).toEqual({ synced: 1, failed: 0 });
    expect(discounts()).toHaveLength(1);
    expect(calls("discountAutomaticAppCreate")).toBe(1);
    expect(await program()).toMatchObject({
      tierPerksDiscountId: discounts()[0]!.id,
      tierPerksError: null,
    });
  });

  it("creates the discount again after the merchant deleted it, perks unchanged", async () => {
    await sync();
    sandbox.api.state.automaticDiscounts.clear();
    expect(await sync()).toEqual({ synced: 0, failed: 1 });
    expect(await program()).toMatchObject({ tierPerksDiscountId: null });
    expect((await program()).tierPerksError).toMatch(/deleted in Shopify/);
    expect(await sync()).toEqual({ synced: 1, failed: 0 });
    expect(discounts()).toHaveLength(1);
    expect(configOf(discounts()[0]!.id)).toMatchObject({ tiers: { Gold: { percentage: 10 } } });
    expect((await program()).tierPerksError).toBeNull();
  });

  it("empties the config when the perks are removed, and never adopts a merchant's discount", async () => {
    await sync();
    const ours = discounts()[0]!.id;
    await prisma.tier.updateMany({
      where: { shop: TEST_SHOP },
      data: { perkPercent: null, perkFreeShipping: false },
    });
    expect(await sync()).toEqual({ synced: 1, failed: 0 });
    expect(configOf(ours)).toEqual({ version: 1, tiers: {} });
    // A discount of the merchant's own with our tag but another title is not ours.
    await prisma.program.update({
      where: { shop: TEST_SHOP },
      data: { tierPerksDiscountId: null, tierPerksConfig: null },
    });
    sandbox.api.state.automaticDiscounts.get(ours)!.title = "Summer sale";
    await prisma.tier.updateMany({
      where: { shop: TEST_SHOP, name: "Gold" },
      data: { perkPercent: 5 },
    });
    await sync();
    expect((await program()).tierPerksDiscountId).not.toBe(ours);
    expect(discounts()).toHaveLength(2);
  });

  it("gives a Gold member 10% off and free shipping at the sandbox checkout, through the function", async () => {
    // The member's tier reaches their Shopify customer by customer sync, the perks reach the
    // automatic discount by this job, and checkout runs the extension's own function code.
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { customerSync: true } });
    const gold = await prisma.tier.findFirstOrThrow({ where: { shop: TEST_SHOP, name: "Gold" } });
    for (const [customerId, tierId] of [
      ["7001", gold.id],
      ["7002", null],
    ] as const) {
      sandbox.api.addCustomer({ id: `gid://shopify/Customer/${customerId}` });
      const member = await seedMember(customerId, 1_500);
      await prisma.member.update({ where: { id: member.id }, data: { tierId, syncDirty: true } });
    }
    await syncCustomers(prisma, adminFor);
    await sync();
    const cart = (customerId: string | null) =>
      quoteCheckout(sandbox.api.state, {
        customerId,
        lines: [{ productId: null, variantId: null, title: "Mug", quantity: 1, subtotal: "40.00" }],
        shipping: "5.00",
      });
    const member = await cart("gid://shopify/Customer/7001");
    expect(member).toMatchObject({ merchandiseDiscount: "4.00", shipping: "0.00", total: "36.00" });
    expect(member.automatic.map((a) => a.message)).toEqual([
      "Gold member: 10% off",
      "Gold member: free shipping",
    ]);
    for (const other of [await cart("gid://shopify/Customer/7002"), await cart(null)])
      expect(other).toMatchObject({
        merchandiseDiscount: "0.00",
        shipping: "5.00",
        total: "45.00",
      });
  });

  it("creates nothing for a shop whose tiers have no checkout perks", async () => {
    await prisma.tier.updateMany({
      where: { shop: TEST_SHOP },
      data: { perkPercent: null, perkFreeShipping: false },
    });
    expect(await sync()).toEqual({ synced: 0, failed: 0 });
    expect(discounts()).toHaveLength(0);
  });
});
