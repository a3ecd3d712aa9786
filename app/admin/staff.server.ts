import type { Session } from "@shopify/shopify-api";

/**
 * Who did it, for ledger entries, import batches and reviews: "Ada Lovelace (staff:84000001)" —
 * the staff member's name as Shopify gives it with their online session (else their email) and
 * their user id; just `staff:<id>` without a name, "staff" without either.
 */
export function staffIdentity(auth: {
  session: Session;
  sessionToken?: { sub?: string } | null;
}): string {
  const user = auth.session.onlineAccessInfo?.associated_user;
  const name = [user?.first_name, user?.last_name]
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(" ");
  const id = user?.id ?? auth.sessionToken?.sub;
  // Names are neither unique nor permanent: the user id stays beside them for an audit.
  const key = id ? `staff:${id}` : null;
  const label = name || user?.email;
  if (label) return key ? `${label} (${key})` : label;
  return key ?? "staff";
}

/** Loaders and actions answer 404 for ids that are not this shop's. */
export function notFound(what = "Not found"): never {
  throw new Response(what, { status: 404, statusText: "Not Found" });
}
