import { describe, expect, it } from "vitest";
import { describeReward, parseRewardForm } from "./reward-form";

const base = {
  name: "Reward",
  type: "FIXED_AMOUNT",
  pointsCost: "100",
  amount: "5",
  codeLifetimeDays: "30",
};

describe("reward form", () => {
  it("keeps only the value field that belongs to the type", () => {
    const percent = parseRewardForm({ ...base, type: "PERCENTAGE", percentage: "10" }, "USD");
    expect(percent.ok && [percent.data.amount, percent.data.percentage]).toEqual([null, 10]);
    const shipping = parseRewardForm({ ...base, type: "FREE_SHIPPING", percentage: "10" }, "USD");
    expect(shipping.ok && [shipping.data.amount, shipping.data.percentage]).toEqual([null, null]);
  });

  it("uses the shop currency's decimals for amounts", () => {
    expect(parseRewardForm({ ...base, amount: "500" }, "JPY").ok).toBe(true);
    const yen = parseRewardForm({ ...base, amount: "5.5" }, "JPY");
    expect(yen.ok ? null : yen.errors.amount).toBe("Enter an amount in JPY, greater than zero");
  });

  it("treats an empty tier as everyone and caps the cost", () => {
    const open = parseRewardForm({ ...base, tierId: " " }, "USD");
    expect(open.ok && open.data.tierId).toBeNull();
    const huge = parseRewardForm({ ...base, pointsCost: "10000001" }, "USD");
    expect(huge.ok ? null : huge.errors.pointsCost).toMatch(/10,000,000 points or fewer/);
  });
});

describe("reward descriptions", () => {
  it("reads like the merchant would say it", () => {
    expect(
      describeReward(
        { type: "FIXED_AMOUNT", amount: "5.00", percentage: null, minimumSubtotal: null },
        "EUR",
      ),
    ).toBe("5.00 EUR off");
    expect(
      describeReward(
        { type: "PERCENTAGE", amount: null, percentage: 15, minimumSubtotal: "40" },
        "USD",
      ),
    ).toBe("15% off on orders of 40 USD or more");
  });
});
