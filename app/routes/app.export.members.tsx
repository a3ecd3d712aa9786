import type { LoaderFunctionArgs } from "@remix-run/node";
import { membersCsv } from "../admin/exports.server";
import { authenticate } from "../shopify.server";

// Resource route: every member of the shop as CSV.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return membersCsv(session.shop);
};
