import { describe, expect, it } from "vitest";
import { customerMetafieldValues, MEMBERS_PER_CALL, tierTag } from "./customer-sync";

describe("customer sync values", () => {
  it("fit metafieldsSet's 25 a call", () => {
    expect(MEMBERS_PER_CALL * 3).toBeLessThanOrEqual(25);
  });

  it("say what Shopify should hold, and which metafields should not exist", () => {
    expect(
      customerMetafieldValues(
        { balance: 120, tierName: "Gold", expiresAt: new Date("2027-01-01T03:00:00Z") },
        "America/New_York",
      ),
    ).toEqual({ points_balance: "120", tier: "Gold", points_expire_on: "2026-12-31" });
    expect(customerMetafieldValues({ balance: 0, tierName: null, expiresAt: null }, "UTC")).toEqual(
      {
        points_balance: "0",
        tier: null,
        points_expire_on: null,
      },
    );
  });

  it("tag a tier in lower case, letters and digits joined by dashes", () => {
    expect(tierTag("Gold")).toBe("loyalty-gold");
    expect(tierTag("  VIP Club (2026) ")).toBe("loyalty-vip-club-2026");
    expect(tierTag("Élite")).toBe("loyalty-élite");
    expect(tierTag("ゴールド")).toBe("loyalty-ゴールド");
    expect(tierTag("!!!")).toBeNull();
    expect(tierTag(null)).toBeNull();
  });
});
