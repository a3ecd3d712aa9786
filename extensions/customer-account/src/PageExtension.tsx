/** @jsxImportSource preact */
// Entry module of the customer-account.page.render target (shopify.extension.toml).
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { clientFor } from "./client";
import { shopifyGlobal, storefrontUrl } from "./host";
import type { PageApi } from "./host";
import { LoyaltyPage } from "./page";

export default async () => {
  const api = shopifyGlobal<PageApi>();
  render(
    <LoyaltyPage host={api} client={clientFor(api)} storefront={() => storefrontUrl(api)} />,
    document.body,
  );
};
