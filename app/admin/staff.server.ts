import type { Session } from "@shopify/shopify-api";

/**
 * Who did it, for ledger entries and import batches. The embedded admin sends a session token
 * whose `sub` is the staff member's user id; an online session would also carry their email.
 * Without either (e.g. a non-embedded request) we can only say "staff".
 */
export function staffIdentity(auth: {
  session: Session;
  sessionToken?: { sub?: string } | null;
}): string {
  const email = auth.session.onlineAccessInfo?.associated_user?.email;
  if (email) return `staff:${email}`;
  const sub = auth.sessionToken?.sub;
  if (sub) return `staff:${sub}`;
  return "staff";
}

/** Loaders and actions answer 404 for ids that are not this shop's. */
export function notFound(what = "Not found"): never {
  throw new Response(what, { status: 404, statusText: "Not Found" });
}
