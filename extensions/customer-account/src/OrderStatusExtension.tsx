/** @jsxImportSource preact */
// Entry module of the customer-account.order-status.block.render target (shopify.extension.toml).
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { clientFor } from "./client";
import { shopifyGlobal } from "./host";
import type { OrderStatusBlockApi } from "./host";
import { OrderPointsBlock } from "./order-block";

export default async () => {
  const api = shopifyGlobal<OrderStatusBlockApi>();
  render(<OrderPointsBlock host={api} client={clientFor(api)} />, document.body);
};
