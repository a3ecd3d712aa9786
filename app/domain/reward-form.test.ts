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

describe("reward form values and errors", () => {
  it("turns posted strings into reward terms", () => {
    const parsed = parseRewardForm(
      {
        ...base,
        name: "  $5 off  ",
        pointsCost: " 500 ",
        amount: " 5.00 ",
        minimumSubtotal: " 40 ",
        codeLifetimeDays: " 30 ",
        combinesWithOrder: "on",
        combinesWithShipping: "true",
        tierId: " tier_gold ",
        enabled: "on",
      },
      "USD",
    );
    expect(parsed).toEqual({
      ok: true,
      data: {
        name: "$5 off",
        type: "FIXED_AMOUNT",
        pointsCost: 500,
        amount: "5.00",
        percentage: null,
        minimumSubtotal: "40",
        codeLifetimeDays: 30,
        combinesWithOrder: true,
        combinesWithProduct: false,
        combinesWithShipping: true,
        collections: [],
        tierId: "tier_gold",
        enabled: true,
      },
    });
  });

  it("limits an amount or a percentage to picked collections, never free shipping", () => {
    const outdoor = { id: "gid://shopify/Collection/9900000000001", title: "Outdoor" };
    const collections = JSON.stringify([outdoor]);
    expect(
      parseRewardForm({ ...base, type: "PERCENTAGE", percentage: "15", collections }, "USD"),
    ).toMatchObject({ ok: true, data: { collections: [outdoor] } });
    // Picked, then switched to free shipping: the hidden pick is not kept.
    expect(parseRewardForm({ ...base, type: "FREE_SHIPPING", collections }, "USD")).toMatchObject({
      ok: true,
      data: { collections: [] },
    });
    expect(
      parseRewardForm({ ...base, collections: JSON.stringify([{ id: "x", title: "y" }]) }, "USD"),
    ).toMatchObject({ ok: false, errors: { collections: "Choose the collections again" } });
  });

  it("takes store credit with an amount and a lifetime of 0 (never) to 365 days, nothing else", () => {
    const outdoor = { id: "gid://shopify/Collection/9900000000001", title: "Outdoor" };
    // Switched from an amount off with a minimum and collections: the hidden fields are dropped.
    expect(
      parseRewardForm(
        {
          ...base,
          type: "STORE_CREDIT",
          amount: "7.5",
          minimumSubtotal: "20",
          collections: JSON.stringify([outdoor]),
          codeLifetimeDays: "0",
        },
        "USD",
      ),
    ).toMatchObject({
      ok: true,
      data: {
        type: "STORE_CREDIT",
        amount: "7.5",
        minimumSubtotal: null,
        collections: [],
        codeLifetimeDays: 0,
      },
    });
    expect(parseRewardForm({ ...base, type: "STORE_CREDIT", amount: "" }, "USD")).toMatchObject({
      ok: false,
      errors: { amount: "Enter an amount in USD, greater than zero" },
    });
  });

  it("asks for a type when the select posts something unknown", () => {
    expect(parseRewardForm({ ...base, type: "CASHBACK" }, "USD")).toEqual({
      ok: false,
      errors: { type: "Choose a reward type" },
    });
  });

  it("needs whole numbers for the cost, percentage and code lifetime", () => {
    // Digits with anything before or after them are not a number of points.
    for (const bad of ["100abc", "abc100", "1.5", "-100", "1e3", ""]) {
      const result = parseRewardForm(
        { ...base, type: "PERCENTAGE", pointsCost: bad, percentage: bad, codeLifetimeDays: bad },
        "USD",
      );
      expect(result, bad).toEqual({
        ok: false,
        errors: {
          pointsCost: "Cost must be a whole number of points, at least 1",
          percentage: "Enter a whole percentage from 1 to 100",
          codeLifetimeDays: "Codes must last between 1 and 365 days",
        },
      });
    }
    // A percentage reward posted without the field at all.
    const { amount: _amount, ...noAmount } = base;
    expect(parseRewardForm({ ...noAmount, type: "PERCENTAGE" }, "USD")).toEqual({
      ok: false,
      errors: { percentage: "Enter a whole percentage from 1 to 100" },
    });
    expect(parseRewardForm(noAmount, "USD")).toEqual({
      ok: false,
      errors: { amount: "Enter an amount in USD, greater than zero" },
    });
  });

  it("allows names up to 80 characters and costs up to 10,000,000 points", () => {
    const longest = parseRewardForm(
      { ...base, name: "x".repeat(80), pointsCost: "10000000" },
      "USD",
    );
    expect(longest.ok && [longest.data.name.length, longest.data.pointsCost]).toEqual([
      80, 10_000_000,
    ]);
    expect(parseRewardForm({ ...base, name: "x".repeat(81) }, "USD")).toEqual({
      ok: false,
      errors: { name: "Use 80 characters or fewer" },
    });
    expect(parseRewardForm({ ...base, pointsCost: "10000001" }, "USD")).toEqual({
      ok: false,
      errors: { pointsCost: "Enter 10,000,000 points or fewer" },
    });
  });

  it("asks for a name when it is blank", () => {
    expect(parseRewardForm({ ...base, name: "   " }, "USD")).toEqual({
      ok: false,
      errors: { name: "Give the reward a name shoppers will recognise" },
    });
  });
});

describe("reward descriptions", () => {
  it("reads like the merchant would say it", () => {
    expect(
      describeReward(
        { type: "FIXED_AMOUNT", amount: "5.00", percentage: null, minimumSubtotal: null },
        "EUR",
      ),
    ).toBe("€5.00 off");
    expect(
      describeReward(
        { type: "PERCENTAGE", amount: null, percentage: 15, minimumSubtotal: "40" },
        "USD",
      ),
    ).toBe("15% off on orders of $40.00 or more");
    expect(
      describeReward(
        { type: "FREE_SHIPPING", amount: null, percentage: null, minimumSubtotal: null },
        "USD",
      ),
    ).toBe("Free shipping");
    expect(
      describeReward(
        { type: "FREE_SHIPPING", amount: null, percentage: null, minimumSubtotal: "25.00" },
        "CAD",
      ),
    ).toBe("Free shipping on orders of CA$25.00 or more");
    expect(
      describeReward(
        {
          type: "PERCENTAGE",
          amount: null,
          percentage: 20,
          minimumSubtotal: null,
          collections: [{ id: "gid://shopify/Collection/1", title: "Outdoor" }],
        },
        "USD",
      ),
    ).toBe("20% off Outdoor");
    expect(
      describeReward(
        {
          type: "FIXED_AMOUNT",
          amount: "10",
          percentage: null,
          minimumSubtotal: "50",
          collections: [{ id: "gid://shopify/Collection/1", title: "Outdoor" }],
        },
        "USD",
      ),
    ).toBe("$10.00 off Outdoor with $50.00 or more of them");
    expect(
      describeReward(
        { type: "STORE_CREDIT", amount: "5", percentage: null, minimumSubtotal: null },
        "EUR",
      ),
    ).toBe("€5.00 store credit");
  });
});
