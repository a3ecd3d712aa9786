import type { Session } from "@shopify/shopify-api";

/**
 * Who did it, for ledger entries, import batches and reviews: the staff member's name as Shopify
 * gives it with their online session, else their email, else the user id from the session token
 * (`staff:<id>`), else just "staff".
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
  if (name) return name;
  if (user?.email) return user.email;
  const sub = auth.sessionToken?.sub;
  if (sub) return `staff:${sub}`;
  return "staff";
}

/** Loaders and actions answer 404 for ids that are not this shop's. */
export function notFound(what = "Not found"): never {
  throw new Response(what, { status: 404, statusText: "Not Found" });
}
