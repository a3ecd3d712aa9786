import type { LoaderFunctionArgs } from "@remix-run/node";
import { failedEventDownload } from "../admin/support.server";
import { authenticate } from "../shopify.server";

// Resource route: the full payload of one failed webhook, as a JSON file for support.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return failedEventDownload(session.shop, params.id ?? "");
};
