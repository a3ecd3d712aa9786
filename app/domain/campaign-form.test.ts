import { describe, expect, it } from "vitest";
import { describeCampaign, parseCampaignForm } from "./campaign-form";

const form = (overrides: Record<string, string> = {}) => ({
  name: "Double points weekend",
  kind: "MULTIPLIER",
  multiplier: "2",
  bonusPoints: "",
  minimumSpend: "",
  startsAt: "2026-12-05T00:00",
  endsAt: "2026-12-07T00:00",
  tierIds: "",
  enabled: "true",
  ...overrides,
});

describe("campaign form", () => {
  it("reads the times in the shop's time zone", () => {
    const result = parseCampaignForm(form(), "USD", "America/New_York");
    expect(result).toEqual({
      ok: true,
      data: {
        name: "Double points weekend",
        kind: "MULTIPLIER",
        multiplierPercent: 200,
        bonusPoints: null,
        minimumSpend: null,
        tierIds: [],
        products: [],
        collections: [],
        startsAt: new Date("2026-12-05T05:00:00Z"),
        endsAt: new Date("2026-12-07T05:00:00Z"),
        enabled: true,
      },
    });
  });

  it("keeps only what the kind uses, and each tier once", () => {
    const result = parseCampaignForm(
      form({
        kind: "BONUS",
        multiplier: "3",
        bonusPoints: "250",
        minimumSpend: "49.99",
        tierIds: "t1,t2,t1",
      }),
      "USD",
      "UTC",
    );
    expect(result).toMatchObject({
      ok: true,
      data: {
        multiplierPercent: null,
        bonusPoints: 250,
        minimumSpend: "49.99",
        tierIds: ["t1", "t2"],
      },
    });
    expect(parseCampaignForm(form({ multiplier: "1.25" }), "USD", "UTC")).toMatchObject({
      data: { multiplierPercent: 125 },
    });
  });

  it("says what is wrong with each field and keeps nothing", () => {
    expect(
      parseCampaignForm(
        form({ name: " ", multiplier: "1", startsAt: "2026-02-30T00:00", endsAt: "soon" }),
        "USD",
        "UTC",
      ),
    ).toEqual({
      ok: false,
      errors: {
        name: "Enter a name shoppers will see, such as “Double points weekend”",
        multiplier: "Enter a multiplier above 1 and up to 10, such as 2 for double points",
        startsAt: "Enter the date and time the campaign starts",
        endsAt: "Enter the date and time the campaign ends",
      },
    });
    const bonus = (overrides: Record<string, string>) =>
      parseCampaignForm(form({ kind: "BONUS", bonusPoints: "100", ...overrides }), "JPY", "UTC");
    expect(bonus({ bonusPoints: "1.5" })).toMatchObject({
      errors: { bonusPoints: expect.any(String) },
    });
    expect(bonus({ minimumSpend: "10.50" })).toMatchObject({
      errors: { minimumSpend: "Enter a minimum in JPY with at most 0 decimals, or leave it empty" },
    });
    expect(bonus({ minimumSpend: "0" })).toMatchObject({
      errors: { minimumSpend: expect.any(String) },
    });
    expect(parseCampaignForm(form({ endsAt: "2026-12-05T00:00" }), "USD", "UTC")).toMatchObject({
      errors: { endsAt: "End the campaign after it starts" },
    });
    expect(parseCampaignForm(form({ endsAt: "2028-01-01T00:00" }), "USD", "UTC")).toMatchObject({
      errors: { endsAt: expect.stringMatching(/366 days or fewer/) },
    });
    expect(parseCampaignForm(form({ kind: "TRIPLE" }), "USD", "UTC")).toMatchObject({
      errors: { kind: "Choose what the campaign gives" },
    });
  });

  it("takes the products and collections the resource picker chose, each once", () => {
    const tote = { id: "gid://shopify/Product/8800000000001", title: "Canvas Tote" };
    const outdoor = { id: "gid://shopify/Collection/77", title: "Outdoor" };
    const result = parseCampaignForm(
      form({
        products: JSON.stringify([tote, { ...tote, title: "Canvas Tote (again)" }]),
        collections: JSON.stringify([outdoor]),
      }),
      "USD",
      "UTC",
    );
    expect(result).toMatchObject({ ok: true, data: { products: [tote], collections: [outdoor] } });
  });

  it("refuses a product list that is not the picker's, or too long", () => {
    const collection = { id: "gid://shopify/Collection/1", title: "Sale" };
    expect(
      parseCampaignForm(form({ products: JSON.stringify([collection]) }), "USD", "UTC"),
    ).toMatchObject({ ok: false, errors: { products: "Choose the products again" } });
    expect(parseCampaignForm(form({ collections: "[{" }), "USD", "UTC")).toMatchObject({
      ok: false,
      errors: { collections: "Choose the collections again" },
    });
    const many = Array.from({ length: 101 }, (_, i) => ({
      id: `gid://shopify/Product/${i + 1}`,
      title: `Product ${i + 1}`,
    }));
    expect(parseCampaignForm(form({ products: JSON.stringify(many) }), "USD", "UTC")).toMatchObject(
      {
        ok: false,
        errors: { products: "Choose up to 100 products, or a collection" },
      },
    );
  });

  it("reads in lists as what it gives", () => {
    const base = {
      bonusPoints: null,
      minimumSpend: null,
      multiplierPercent: null,
      products: [],
      collections: [],
    };
    expect(describeCampaign({ ...base, kind: "MULTIPLIER", multiplierPercent: 150 }, "USD")).toBe(
      "1.5× points",
    );
    expect(
      describeCampaign({ ...base, kind: "BONUS", bonusPoints: 1000, minimumSpend: "50" }, "USD"),
    ).toBe("1,000 bonus points per order of $50.00 or more");
    expect(describeCampaign({ ...base, kind: "BONUS", bonusPoints: 5 }, "USD")).toBe(
      "5 bonus points per order",
    );
    const tote = { id: "gid://shopify/Product/1", title: "Tote" };
    const mug = { id: "gid://shopify/Product/2", title: "Mug" };
    const outdoor = { id: "gid://shopify/Collection/3", title: "Outdoor" };
    expect(
      describeCampaign(
        {
          ...base,
          kind: "MULTIPLIER",
          multiplierPercent: 200,
          products: [tote, mug],
          collections: [outdoor],
        },
        "USD",
      ),
    ).toBe("2× points on 2 products and 1 collection");
    expect(
      describeCampaign(
        { ...base, kind: "BONUS", bonusPoints: 50, minimumSpend: "40", products: [tote] },
        "USD",
      ),
    ).toBe("50 bonus points per order with $40.00 or more spent on 1 product");
  });
});
