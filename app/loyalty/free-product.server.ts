import type { FreeProductOffer } from "../domain/rewards";
import { freeProductOffer } from "../domain/rewards";
import type { AdminGraphqlClient, RetryPolicy } from "../shopify/admin-api.server";
import { adminQuery, DEFAULT_RETRY_POLICY } from "../shopify/admin-api.server";
import { FREE_PRODUCT_VARIANT } from "../shopify/operations";
import type {
  LoyaltyFreeProductVariantQuery,
  LoyaltyFreeProductVariantQueryVariables,
} from "../types/admin.generated";

/** A shopper is waiting, and nothing is taken yet: a short budget, then "try again". */
const PRICE_POLICY: RetryPolicy = {
  ...DEFAULT_RETRY_POLICY,
  budgetMs: 3_000,
  attemptTimeoutMs: 2_500,
};

/**
 * What one unit of a free product reward's variant costs now, in the shop currency (the amount
 * its code takes off), or why there is nothing to give. Throws (AdminApiError) when Shopify
 * cannot be asked; nothing has changed then, so the shopper may simply try again.
 */
export async function freeProductPrice(
  admin: AdminGraphqlClient,
  variantId: string,
  currency: string,
  retry: RetryPolicy = PRICE_POLICY,
): Promise<FreeProductOffer> {
  const { productVariant: variant } = await adminQuery<LoyaltyFreeProductVariantQuery>(
    admin,
    FREE_PRODUCT_VARIANT,
    { id: variantId } satisfies LoyaltyFreeProductVariantQueryVariables,
    retry,
  );
  return freeProductOffer(
    variant
      ? {
          price: String(variant.price),
          availableForSale: variant.availableForSale,
          productStatus: variant.product.status,
        }
      : null,
    currency,
  );
}
