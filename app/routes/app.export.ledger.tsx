import type { LoaderFunctionArgs } from "@remix-run/node";
import { ledgerCsv } from "../admin/exports.server";
import { authenticate } from "../shopify.server";

// Resource route: the shop's whole points ledger as CSV, oldest entry first.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return ledgerCsv(session.shop);
};
