import type { LoaderFunctionArgs } from "@remix-run/node";
import { dataRequestDownload } from "../admin/support.server";
import { authenticate } from "../shopify.server";

// Resource route: a customers/data_request result, as the JSON file the merchant sends on.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return dataRequestDownload(session.shop, params.id ?? "");
};
