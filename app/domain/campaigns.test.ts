import { describe, expect, it } from "vitest";
import type { Campaign } from "./campaigns";
import { campaignProducts, campaignRules, campaignStatus } from "./campaigns";

const start = new Date("2026-12-05T00:00:00Z");
const end = new Date("2026-12-07T00:00:00Z");
const during = new Date("2026-12-06T12:00:00Z");

function campaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    id: "c1",
    name: "Double points weekend",
    kind: "MULTIPLIER",
    multiplierPercent: 200,
    bonusPoints: null,
    minimumSpend: null,
    tierIds: [],
    products: [],
    collections: [],
    collectionProductIds: [],
    startsAt: start,
    endsAt: end,
    enabled: true,
    ...overrides,
  };
}

describe("campaign status", () => {
  it("is scheduled before the start, running from it, ended at the end", () => {
    expect(campaignStatus(campaign(), new Date(start.getTime() - 1))).toBe("SCHEDULED");
    expect(campaignStatus(campaign(), start)).toBe("ACTIVE");
    expect(campaignStatus(campaign(), new Date(end.getTime() - 1))).toBe("ACTIVE");
    expect(campaignStatus(campaign(), end)).toBe("ENDED");
    expect(campaignStatus(campaign({ enabled: false }), during)).toBe("OFF");
    expect(campaignStatus(campaign({ enabled: false }), end)).toBe("ENDED");
  });
});

describe("campaign rules", () => {
  it("are the running campaigns open to the member's tier", () => {
    const campaigns = [
      campaign({ id: "all" }),
      campaign({ id: "gold", tierIds: ["gold"] }),
      campaign({ id: "off", enabled: false }),
      campaign({ id: "later", startsAt: end, endsAt: new Date(end.getTime() + 1) }),
    ];
    const ids = (tierId: string | null) =>
      campaignRules(campaigns, during, tierId, "USD").map((rule) =>
        "campaignId" in rule ? rule.campaignId : rule.kind,
      );
    expect(ids(null)).toEqual(["all"]);
    expect(ids("silver")).toEqual(["all"]);
    expect(ids("gold")).toEqual(["all", "gold"]);
  });

  it("list the earliest start first, so equal offers always resolve the same way", () => {
    const campaigns = [
      campaign({ id: "b", startsAt: new Date(start.getTime() + 1) }),
      campaign({ id: "z" }),
      campaign({ id: "a" }),
    ];
    expect(
      campaignRules(campaigns, during, null, "USD").map((rule) =>
        "campaignId" in rule ? rule.campaignId : "",
      ),
    ).toEqual(["a", "z", "b"]);
  });

  it("turn a bonus's minimum into minor units of the shop currency", () => {
    const bonus = campaign({ kind: "BONUS", multiplierPercent: null, bonusPoints: 100 });
    expect(campaignRules([{ ...bonus, minimumSpend: "50" }], during, null, "USD")).toEqual([
      {
        kind: "CAMPAIGN_BONUS",
        campaignId: "c1",
        campaign: "Double points weekend",
        points: 100,
        minimumMinor: 5000,
        products: null,
        endsAt: end,
      },
    ]);
    expect(campaignRules([{ ...bonus, minimumSpend: "5000" }], during, null, "JPY")).toMatchObject([
      { minimumMinor: 5000 },
    ]);
    expect(campaignRules([bonus], during, null, "USD")).toMatchObject([{ minimumMinor: 1 }]);
    // Saved as 50.50 before the shop's first order showed its currency has no decimals.
    expect(campaignRules([{ ...bonus, minimumSpend: "50.50" }], during, null, "JPY")).toEqual([]);
  });

  it("count the chosen products and those read from the chosen collections", () => {
    const tote = { id: "gid://shopify/Product/1", title: "Tote" };
    const outdoor = { id: "gid://shopify/Collection/5", title: "Outdoor" };
    const [rule] = campaignRules(
      [
        campaign({
          products: [tote],
          collections: [outdoor],
          collectionProductIds: ["gid://shopify/Product/2"],
        }),
      ],
      during,
      null,
      "USD",
    );
    expect(rule).toMatchObject({
      products: new Set(["gid://shopify/Product/1", "gid://shopify/Product/2"]),
    });
    // A collection not read yet (or empty) limits the campaign to nothing, not to every line.
    expect(campaignProducts(campaign({ collections: [outdoor] }))).toEqual(new Set());
    expect(campaignProducts(campaign())).toBeNull();
  });

  it("leave out campaigns that would give nothing", () => {
    expect(campaignRules([campaign({ multiplierPercent: 100 })], during, null, "USD")).toEqual([]);
    expect(
      campaignRules(
        [campaign({ kind: "BONUS", multiplierPercent: null, bonusPoints: 0 })],
        during,
        null,
        "USD",
      ),
    ).toEqual([]);
  });
});
