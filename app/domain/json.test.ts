import { describe, expect, it } from "vitest";
import { parseShopifyJson } from "./json";

describe("parseShopifyJson", () => {
  it("keeps 64-bit ids exact, as digit strings, and leaves safe numbers alone", () => {
    const parsed = parseShopifyJson(
      '{"id": 12345678901234567890, "order_id": 9007199254740993, "qty": 2, "price": 1.5, "small": 450789469}',
    );
    expect(parsed).toEqual({
      id: "12345678901234567890",
      order_id: "9007199254740993",
      qty: 2,
      price: 1.5,
      small: 450789469,
    });
    // Plain JSON.parse would have changed the id.
    expect(String((JSON.parse('{"id": 9007199254740993}') as { id: number }).id)).toBe(
      "9007199254740992",
    );
  });

  it("replaces lone surrogates so the text can be stored", () => {
    expect(parseShopifyJson('{"name": "Ada \\ud800 Lovelace"}')).toEqual({
      name: "Ada \ufffd Lovelace",
    });
  });

  it("throws for malformed and absurdly nested bodies", () => {
    expect(() => parseShopifyJson('{"id": ')).toThrow(SyntaxError);
    expect(() => parseShopifyJson("[".repeat(100_000) + "]".repeat(100_000))).toThrow(RangeError);
  });
});
