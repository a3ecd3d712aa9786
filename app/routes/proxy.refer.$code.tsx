import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import type { LandingState } from "../domain/referral-page";
import { landingPage } from "../domain/referral-page";
import { isReferralLinkCode } from "../domain/referrals";
import { PROXY_BODY_LIMIT, readBoundedBody } from "../loyalty/body.server";
import { invitation, offerWelcome } from "../loyalty/referrals.server";
import { shopperLocale } from "../loyalty/storefront.server";
import { authenticate } from "../shopify.server";

/**
 * GET/POST /apps/loyalty/refer/<code> on the storefront: a member's referral link. A signed-in
 * friend gets a welcome code of their own (app/loyalty/referrals.server.ts); anyone else is asked
 * to sign in or create an account first. Answered as application/liquid, so Shopify shows it
 * inside the shop's theme.
 */

function page(status: number, body: string) {
  return new Response(body, {
    status,
    headers: { "Content-Type": "application/liquid", "Cache-Control": "private, no-store" },
  });
}

async function render(request: Request, linkCode: string, state: LandingState) {
  const shop = new URL(request.url).searchParams.get("shop")!;
  const found = isReferralLinkCode(linkCode) ? await invitation(prisma, shop, linkCode) : null;
  const shown: LandingState = found ? state : { kind: "invalid" };
  const html = landingPage({
    state: shown,
    locale: shopperLocale(request),
    referrerName: found?.referrer.firstName ?? null,
    offer: found?.reward.name ?? "",
    // Relative to the storefront page (…/apps/loyalty/refer/<code>): the form posts back to it,
    // whatever the proxy prefix and language root are.
    action: linkCode,
  });
  return page(shown.kind === "invalid" ? 404 : 200, html);
}

/** Shopify's word on who is signed in; nothing the shopper sends can change it. */
function signedIn(request: Request): string | null {
  const id = new URL(request.url).searchParams.get("logged_in_customer_id") ?? "";
  return /^\d+$/.test(id) ? id : null;
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  await authenticate.public.appProxy(request);
  // Nothing is made on a GET: the signed-in friend asks with the page's button.
  return render(
    request,
    params.code ?? "",
    signedIn(request) ? { kind: "form" } : { kind: "signin" },
  );
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const body = await readBoundedBody(request, PROXY_BODY_LIMIT);
  if (body instanceof Response) return body;
  const { admin } = await authenticate.public.appProxy(request);
  const shop = new URL(request.url).searchParams.get("shop")!;
  const linkCode = params.code ?? "";
  const customerId = signedIn(request);
  if (!isReferralLinkCode(linkCode)) return render(request, linkCode, { kind: "invalid" });
  if (!customerId) return render(request, linkCode, { kind: "signin" });
  if (!admin) return render(request, linkCode, { kind: "unavailable" });

  const result = await offerWelcome({ prisma, admin, shop, linkCode, customerId });
  if (!result.ok) {
    const { reason } = result;
    if (reason === "NOT_FOUND") return render(request, linkCode, { kind: "invalid" });
    return render(request, linkCode, { kind: "form", error: reason });
  }
  const { referral } = result;
  return render(
    request,
    linkCode,
    referral.codeStatus === "ISSUED"
      ? {
          kind: "code",
          code: referral.code,
          // Shopify's shareable discount link: puts the code on the cart, then opens the shop.
          applyPath: `/discount/${encodeURIComponent(referral.code)}?redirect=/`,
          endsAt: referral.endsAt,
        }
      : { kind: "preparing" },
  );
};
