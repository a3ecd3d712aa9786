import { buyerTier, findTierPerk, type BuyerTierCart } from "./perks";

/** The shape selected by cart_delivery_options_discounts_generate_run.graphql. */
export interface CartDeliveryOptionsDiscountsGenerateRunInput {
  cart: BuyerTierCart & { deliveryGroups?: ReadonlyArray<{ id: string }> | null };
  discount: {
    discountClasses: readonly string[];
    metafield?: { jsonValue?: unknown } | null;
  };
}

export interface DeliveryDiscountCandidate {
  message: string;
  targets: Array<{ deliveryGroup: { id: string } }>;
  value: { percentage: { value: number } };
}

export interface CartDeliveryOptionsDiscountsGenerateRunResult {
  operations: Array<{
    deliveryDiscountsAdd: { selectionStrategy: "ALL"; candidates: DeliveryDiscountCandidate[] };
  }>;
}

export function cartDeliveryOptionsDiscountsGenerateRun(
  input: CartDeliveryOptionsDiscountsGenerateRunInput,
): CartDeliveryOptionsDiscountsGenerateRunResult {
  if (!input.discount?.discountClasses?.includes("SHIPPING")) return { operations: [] };
  const perk = findTierPerk(input.discount.metafield?.jsonValue, buyerTier(input.cart));
  const groups = input.cart?.deliveryGroups ?? [];
  if (!perk?.freeShipping || groups.length === 0) return { operations: [] };
  return {
    operations: [
      {
        deliveryDiscountsAdd: {
          // A split shipment has several groups; the member ships free on every one of them.
          selectionStrategy: "ALL",
          candidates: groups.map((group) => ({
            message: `${perk.tier} member: free shipping`,
            targets: [{ deliveryGroup: { id: group.id } }],
            value: { percentage: { value: 100 } },
          })),
        },
      },
    ],
  };
}
