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
 * GET/POST /apps/loyalty/refer/<code> on the storefront: a member's referral link. The friend
 * enters an email and gets a welcome code (app/loyalty/referrals.server.ts). Answered as
 * application/liquid, so Shopify shows it inside the shop's theme.
 */

function page(status: number, body: string) {
  return new Response(body, {
    status,
    headers: { "Content-Type": "application/liquid", "Cache-Control": "private, no-store" },
  });
}

async function render(request: Request, linkCode: string, state: (offer: boolean) => LandingState) {
  const url = new URL(request.url);
  const shop = url.searchParams.get("shop")!;
  const locale = shopperLocale(request);
  const found = isReferralLinkCode(linkCode) ? await invitation(prisma, shop, linkCode) : null;
  const shown = found ? state(true) : ({ kind: "invalid" } as const);
  const html = landingPage({
    state: shown,
    locale,
    referrerName: found?.referrer.firstName ?? null,
    offer: found?.reward.name ?? "",
    // Relative to the storefront page (…/apps/loyalty/refer/<code>): the form posts back to it,
    // whatever the proxy prefix and language root are.
    action: linkCode,
  });
  return page(shown.kind === "invalid" ? 404 : 200, html);
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  await authenticate.public.appProxy(request);
  const url = new URL(request.url);
  const customerId = url.searchParams.get("logged_in_customer_id") || null;
  // A signed-in friend sees the form with their own email to confirm; nothing is made on a GET.
  const email = customerId
    ? await prisma.member.findUnique({
        where: {
          shop_customerId: { shop: url.searchParams.get("shop")!, customerId },
        },
        select: { email: true },
      })
    : null;
  return render(request, params.code ?? "", () => ({
    kind: "form",
    email: email?.email ?? undefined,
  }));
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const body = await readBoundedBody(request, PROXY_BODY_LIMIT);
  if (body instanceof Response) return body;
  const { admin } = await authenticate.public.appProxy(request);
  const url = new URL(request.url);
  const shop = url.searchParams.get("shop")!;
  const customerId = url.searchParams.get("logged_in_customer_id") || null;
  const linkCode = params.code ?? "";
  const email = new URLSearchParams(body.text).get("email")?.trim() ?? "";
  if (!isReferralLinkCode(linkCode)) return render(request, linkCode, () => ({ kind: "invalid" }));
  if (!admin) return render(request, linkCode, () => ({ kind: "unavailable" }));

  const result = await offerWelcome({ prisma, admin, shop, linkCode, email, customerId });
  if (!result.ok) {
    const { reason } = result;
    if (reason === "NOT_FOUND") return render(request, linkCode, () => ({ kind: "invalid" }));
    return render(request, linkCode, () => ({ kind: "form", email, error: reason }));
  }
  const { referral } = result;
  return render(request, linkCode, () =>
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
