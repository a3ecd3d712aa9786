/**
 * What the engine takes from a Shopify body: ids (including the GID fallback), names, dates,
 * discount codes, quantities after edits, gift-card refunds, and the amounts it refuses.
 */
import { describe, expect, it } from "vitest";
import {
  customerPayload as customerSchema,
  MAX_AMOUNT_MINOR,
  orderPayload as orderSchema,
  refundPayload as refundSchema,
  toCustomerRef,
  toPaidOrder,
  toRefund,
} from "../../app/loyalty/payloads";
import { customerPayload, money, orderPayload, refundPayload } from "../support/payloads";

const RECEIVED = new Date("2026-05-06T07:08:09.000Z");

function paid(body: unknown) {
  return toPaidOrder(orderSchema.parse(body), RECEIVED);
}

describe("order bodies", () => {
  it("takes the customer, codes, processed date and quantities left after edits", () => {
    const body = orderPayload({
      id: 830_000_000_001,
      customerId: 5301,
      lines: [{ price: "10.00", quantity: 2, currentQuantity: 1 }],
      discountCodes: ["SAVE5"],
      processedAt: "2026-05-01T10:00:00.000Z",
    });
    // Shopify's created_at is when the checkout opened; processed_at is when it was paid.
    const order = paid({ ...body, created_at: "2026-04-30T09:00:00.000Z" });
    expect(order).toMatchObject({
      orderId: "830000000001",
      name: body.name,
      customer: {
        customerId: "5301",
        email: "shopper@example.com",
        firstName: "Ada",
        lastName: "Lovelace",
      },
      discountCodes: ["SAVE5"],
      occurredAt: new Date("2026-05-01T10:00:00.000Z"),
    });
    expect(order.basis).toMatchObject({ basisMinor: 1000 });
  });

  it("falls back to the receipt time for a missing or unreadable date", () => {
    const body = orderPayload({ customerId: 5302 });
    expect(paid({ ...body, processed_at: null, created_at: null }).occurredAt).toEqual(RECEIVED);
    expect(paid({ ...body, processed_at: "not a date", created_at: null }).occurredAt).toEqual(
      RECEIVED,
    );
  });

  it("earns on the subtotal of a body without line items, never below zero", () => {
    const body = { ...orderPayload({ customerId: 5303 }), line_items: [] };
    expect(paid({ ...body, subtotal_price_set: money("12.34", "USD") }).basis).toEqual({
      basisMinor: 1234,
      giftCardsMinor: 0,
      taxMinor: 0,
      // No line to count for a campaign on some products.
      lines: [],
    });
    expect(paid({ ...body, subtotal_price_set: money("-5.00", "USD") }).basisMinor).toBe(0);
  });

  it("names each line's product as the Admin API does, and none on a custom line", () => {
    const body = orderPayload({
      customerId: 5305,
      lines: [{ productId: 8_800_000_000_001, price: "10.00" }, { price: "5.00" }],
    });
    expect(paid(body).basis.lines).toEqual([
      {
        lineId: String(body.line_items[0]!.id),
        productId: "gid://shopify/Product/8800000000001",
        basisMinor: 1000,
      },
      { lineId: String(body.line_items[1]!.id), productId: null, basisMinor: 500 },
    ]);
  });

  it("refuses amounts in two currencies, naming both", () => {
    const body = orderPayload({ customerId: 5304, subtotal: "10.00" });
    body.line_items[0]!.price_set = money("10.00", "EUR");
    expect(() => paid(body)).toThrow(new RangeError("amounts in EUR and USD in one payload"));
  });

  it("accepts the largest storable amount and refuses one cent more", () => {
    const body = orderPayload({ customerId: 5305 });
    const max = "21474836.47"; // MAX_AMOUNT_MINOR cents
    expect(paid({ ...body, total_price_set: money(max, "USD") }).totalMinor).toBe(MAX_AMOUNT_MINOR);
    expect(() => paid({ ...body, total_price_set: money("21474836.48", "USD") })).toThrow(
      "21474836.48 USD is beyond any real order",
    );
  });
});

describe("ids", () => {
  it("prefers the numeric id and uses the GID only when the id is missing", () => {
    const base = customerPayload(5306);
    expect(
      toCustomerRef(
        customerSchema.parse({ ...base, admin_graphql_api_id: "gid://shopify/Customer/9999" }),
      ).customerId,
    ).toBe("5306");
    expect(toCustomerRef(customerSchema.parse({ ...base, id: null })).customerId).toBe("5306");
    expect(
      toCustomerRef(customerSchema.parse({ ...base, id: undefined, last_name: null })),
    ).toMatchObject({ customerId: "5306", lastName: null, firstName: "Grace" });
    // A GID that does not end in digits is no id.
    expect(
      customerSchema.safeParse({
        ...base,
        id: null,
        admin_graphql_api_id: "gid://shopify/Customer/12x",
      }).success,
    ).toBe(false);
  });

  it("rejects a body that is not an object as a schema issue, not a crash", () => {
    expect(orderSchema.safeParse(null).success).toBe(false);
    expect(customerSchema.safeParse(null).success).toBe(false);
  });
});

describe("refund bodies", () => {
  it("keeps the gift-card flag Shopify sends on the refunded line", () => {
    const refund = toRefund(
      refundSchema.parse(refundPayload(830_000_000_002, "25.00", { giftCard: true })),
      RECEIVED,
    );
    expect(refund.currency).toBe("USD");
    expect(refund.lines).toMatchObject([{ subtotalMinor: 2500, giftCard: true }]);
  });

  it("reads a refund of shipping only (no lines) as no currency and no lines", () => {
    const refund = toRefund(
      refundSchema.parse(
        refundPayload(830_000_000_003, "0.00", { createdAt: "2026-05-02T00:00:00.000Z" }),
      ),
      RECEIVED,
    );
    expect(refund).toEqual({
      refundId: expect.any(String),
      orderId: "830000000003",
      currency: null,
      lines: [],
      occurredAt: new Date("2026-05-02T00:00:00.000Z"),
    });
  });
});
