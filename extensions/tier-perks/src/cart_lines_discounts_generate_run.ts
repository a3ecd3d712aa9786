import { buyerTier, findTierPerk, type BuyerTierCart } from "./perks";

/** The shape selected by cart_lines_discounts_generate_run.graphql. */
export interface CartLinesDiscountsGenerateRunInput {
  cart: BuyerTierCart;
  discount: {
    discountClasses: readonly string[];
    metafield?: { jsonValue?: unknown } | null;
  };
}

export interface OrderDiscountCandidate {
  message: string;
  targets: Array<{ orderSubtotal: { excludedCartLineIds: string[] } }>;
  value: { percentage: { value: number } };
}

export interface CartLinesDiscountsGenerateRunResult {
  operations: Array<{
    orderDiscountsAdd: { selectionStrategy: "FIRST"; candidates: OrderDiscountCandidate[] };
  }>;
}

export function cartLinesDiscountsGenerateRun(
  input: CartLinesDiscountsGenerateRunInput,
): CartLinesDiscountsGenerateRunResult {
  // The merchant (or the app) may create the discount without the ORDER class; Shopify would
  // reject an order candidate for it.
  if (!input.discount?.discountClasses?.includes("ORDER")) return { operations: [] };
  const perk = findTierPerk(input.discount.metafield?.jsonValue, buyerTier(input.cart));
  if (!perk || perk.percentage === null) return { operations: [] };
  return {
    operations: [
      {
        orderDiscountsAdd: {
          selectionStrategy: "FIRST",
          candidates: [
            {
              message: `${perk.tier} member: ${perk.percentage}% off`,
              targets: [{ orderSubtotal: { excludedCartLineIds: [] } }],
              value: { percentage: { value: perk.percentage } },
            },
          ],
        },
      },
    ],
  };
}
