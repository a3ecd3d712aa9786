import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link as RemixLink, useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  DataTable,
  FormLayout,
  InlineGrid,
  Link,
  List,
  Modal,
  Page,
  ProgressBar,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { adjustPoints, findMember, memberDetail, type AdjustResult } from "../admin/members.server";
import prisma from "../db.server";
import { cancelRedemption, reissueRedemption } from "../loyalty/redemptions.server";
import { staffIdentity } from "../admin/staff.server";
import {
  formatDate,
  formatDateTime,
  formatNumber,
  formatSigned,
  formatStaff,
} from "../components/format";
import { useToast } from "../components/toast";
import { formValues } from "../domain/forms";
import { overdrawnMessage, parseAdjustment } from "../domain/members-query";
import { isStoreCreditReference } from "../domain/rewards";
import { appAdmin, authenticate } from "../shopify.server";
import { PaginationFooter } from "../components/PaginationFooter";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const page = Number(new URL(request.url).searchParams.get("ledgerPage"));
  return memberDetail(session.shop, params.id ?? "", Number.isInteger(page) && page > 0 ? page : 1);
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.member.name ?? "Member"} · Loyalty` },
];

type CodeActionReply = { intent: string; redemptionId: string } & (
  { ok: true; message: string } | { ok: false; error: string }
);

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "cancel-code" || intent === "reissue-code") {
    const shop = auth.session.shop;
    const member = await findMember(shop, params.id ?? "");
    const redemptionId = String(form.get("redemptionId") ?? "");
    const act = intent === "cancel-code" ? cancelRedemption : reissueRedemption;
    const result = await act({
      prisma,
      admin: await appAdmin(shop),
      shop,
      redemptionId,
      memberId: member.id,
      staff: staffIdentity(auth),
    });
    const reply: CodeActionReply = result.ok
      ? { intent, redemptionId, ok: true, message: result.message }
      : { intent, redemptionId, ok: false, error: result.error };
    return reply;
  }
  const parsed = parseAdjustment(formValues(form));
  if (!parsed.ok) return parsed;
  return adjustPoints(auth.session.shop, params.id ?? "", parsed.data, staffIdentity(auth));
};

const REDEMPTION_STATUS: Record<
  string,
  { label: string; tone?: "success" | "info" | "critical" | "attention" }
> = {
  PENDING: { label: "Pending", tone: "attention" },
  ISSUED: { label: "Issued", tone: "info" },
  USED: { label: "Used", tone: "success" },
  EXPIRED: { label: "Expired" },
  FAILED: { label: "Failed, points returned", tone: "critical" },
  CANCELLED: { label: "Cancelled, points returned" },
};

/**
 * Cancel for an unused code (or store credit, taken back while none of it is spent), Issue again
 * for one that could not be created.
 */
function CodeAction({ id, status, code }: { id: string; status: string; code: string }) {
  const fetcher = useFetcher<CodeActionReply>();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const result = fetcher.data;
  useEffect(() => {
    if (fetcher.state !== "idle" || !result) return;
    if (result.ok) toast(result.message);
    else toast(result.error, { isError: true });
  }, [fetcher.state, result, toast]);
  const busy = fetcher.state !== "idle";
  const send = (intent: string) => fetcher.submit({ intent, redemptionId: id }, { method: "post" });
  if (status === "FAILED")
    return (
      <Button size="slim" loading={busy} onClick={() => send("reissue-code")}>
        Issue again
      </Button>
    );
  if (status !== "ISSUED") return null;
  const credit = isStoreCreditReference(code);
  const what = credit ? `store credit ${code}` : `code ${code}`;
  return (
    <>
      <Button
        size="slim"
        tone="critical"
        variant="plain"
        loading={busy}
        onClick={() => setConfirming(true)}
        accessibilityLabel={credit ? `Take back ${what}` : `Cancel ${what}`}
      >
        {credit ? "Take back" : "Cancel"}
      </Button>
      <Modal
        open={confirming}
        onClose={() => setConfirming(false)}
        title={credit ? `Take back ${what}?` : `Cancel ${what}?`}
        primaryAction={{
          content: credit ? "Take back store credit" : "Cancel code",
          destructive: true,
          onAction: () => {
            setConfirming(false);
            send("cancel-code");
          },
        }}
        secondaryActions={[
          {
            content: credit ? "Keep store credit" : "Keep code",
            onAction: () => setConfirming(false),
          },
        ]}
      >
        <Modal.Section>
          <Text as="p">
            {credit
              ? "The credit is taken off the customer's store credit account in Shopify, and its points are returned to their balance. Once any of it has been spent, it can no longer be taken back. The history shows who took it back."
              : "The discount is deactivated in Shopify, so the customer can no longer use it, and its points are returned to their balance. The history shows who cancelled it."}
          </Text>
        </Modal.Section>
      </Modal>
    </>
  );
}

function newRequestId() {
  return typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `r${Date.now()}${Math.random().toString(36).slice(2)}`;
}

function AdjustPointsCard({
  balance,
  pointsName,
  allowNegative,
}: {
  balance: number;
  pointsName: string;
  allowNegative: boolean;
}) {
  const fetcher = useFetcher<AdjustResult>();
  const toast = useToast();
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const [requestId, setRequestId] = useState(newRequestId);
  const [confirming, setConfirming] = useState(false);
  const result = fetcher.data;
  // Refusals the page can see coming are shown before the confirmation, not after it.
  const [early, setEarly] = useState<Record<string, string> | null>(null);
  const errors = early ?? (result && !result.ok ? result.errors : {});
  const busy = fetcher.state !== "idle";

  useEffect(() => {
    if (fetcher.state !== "idle" || !result?.ok) return;
    toast(`Points adjusted. New balance: ${formatNumber(result.balance)}`);
    setPoints("");
    setReason("");
    setRequestId(newRequestId());
  }, [fetcher.state, result, toast]);

  const submit = () => fetcher.submit({ points, reason, requestId }, { method: "post" });
  const removing = /^\s*-/.test(points);

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingSm">
          Adjust points
        </Text>
        <fetcher.Form
          method="post"
          onSubmit={(event) => {
            event.preventDefault();
            // The same rules the server applies; it still checks them against the balance then.
            const parsed = parseAdjustment({ points, reason });
            const found = parsed.ok ? {} : { ...parsed.errors };
            if (
              parsed.ok &&
              parsed.data.points < 0 &&
              !allowNegative &&
              -parsed.data.points > balance
            )
              found.points = overdrawnMessage(balance, pointsName);
            const refused = Object.keys(found).length > 0;
            setEarly(refused ? found : null);
            if (refused) return;
            if (removing) setConfirming(true);
            else submit();
          }}
        >
          <FormLayout>
            <TextField
              label={`${pointsName} to add or remove`}
              helpText={`Use a minus sign to remove, e.g. -50.${allowNegative ? "" : ` At most ${formatNumber(balance)} can be removed.`}`}
              type="number"
              autoComplete="off"
              value={points}
              onChange={setPoints}
              error={errors.points}
            />
            <TextField
              label="Reason"
              helpText="Required. Shown in the member's history with your name."
              autoComplete="off"
              value={reason}
              onChange={setReason}
              error={errors.reason}
            />
            <Button submit variant="primary" loading={busy} accessibilityLabel="Adjust points">
              Adjust points
            </Button>
          </FormLayout>
        </fetcher.Form>
      </BlockStack>
      <Modal
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Remove points?"
        primaryAction={{
          content: "Remove points",
          destructive: true,
          onAction: () => {
            setConfirming(false);
            submit();
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirming(false) }]}
      >
        <Modal.Section>
          <Text as="p">
            {points.replace("-", "")} {pointsName} will be taken from this member&apos;s balance
            with the reason “{reason}”.
          </Text>
        </Modal.Section>
      </Modal>
    </Card>
  );
}

export default function MemberPage() {
  const data = useLoaderData<typeof loader>();
  const { member, tier, ledger } = data;
  const pointsName = data.pointsName.other;
  const shopifyCustomerUrl = `shopify://admin/customers/${member.customerId}`;

  return (
    <Page
      title={member.name}
      subtitle={member.email ?? undefined}
      titleMetadata={tier.name ? <Badge>{tier.name}</Badge> : undefined}
      backAction={{ content: "Members", url: "/app/members" }}
      secondaryActions={[{ content: "View customer in Shopify", url: shopifyCustomerUrl }]}
    >
      {/* A grid, not Layout: Layout's flex sections size to what is parsed so far, and a slow
          machine paints the history before the side column exists, then moves it all left
          (CLS 0.058 at 4× CPU). The grid's columns are fixed before their content arrives. */}
      <InlineGrid columns={{ xs: 1, md: ["twoThirds", "oneThird"] }} gap="400" alignItems="start">
        <div>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingSm">
                  Points
                </Text>
                <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
                  <BlockStack gap="100">
                    <Text as="p" tone="subdued">
                      Balance
                    </Text>
                    <Text as="p" variant="headingLg">
                      {formatNumber(member.balance)} {pointsName}
                    </Text>
                  </BlockStack>
                  <BlockStack gap="100">
                    <Text as="p" tone="subdued">
                      Pending
                    </Text>
                    <Text as="p" variant="headingLg">
                      {formatNumber(member.pendingPoints)}
                    </Text>
                    {member.nextRelease ? (
                      <Text as="p" tone="subdued">
                        {formatNumber(member.nextRelease.points)} available{" "}
                        {formatDate(member.nextRelease.at)}
                      </Text>
                    ) : null}
                  </BlockStack>
                  <BlockStack gap="100">
                    <Text as="p" tone="subdued">
                      Earned in total
                    </Text>
                    <Text as="p" variant="headingLg">
                      {formatNumber(member.lifetimeEarned)}
                    </Text>
                  </BlockStack>
                </InlineGrid>
                <Text as="p" tone="subdued">
                  {member.expiresAt
                    ? `Balance expires on ${formatDate(member.expiresAt)} unless the member is active before then.`
                    : "Balance does not expire."}{" "}
                  Joined {formatDate(member.joinedAt)}. Customer ID {member.customerId}.
                </Text>
              </BlockStack>
            </Card>
            <Card padding="0">
              <Box padding="400">
                <Text as="h2" variant="headingSm">
                  Points history
                </Text>
              </Box>
              {ledger.entries.length ? (
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "text"]}
                  headings={["Date", "Activity", "Points", "Pending", "Balance", "By"]}
                  rows={ledger.entries.map((entry) => [
                    formatDateTime(entry.occurredAt),
                    <BlockStack gap="050" key={entry.id}>
                      <Text as="span" fontWeight="semibold">
                        {entry.label}
                      </Text>
                      <Text as="span" tone="subdued">
                        {entry.description}
                        {entry.shortfall > 0 ? ` (${entry.shortfall} could not be taken back)` : ""}
                      </Text>
                      {entry.orderId ? (
                        <RemixLink to={`/app/orders/${entry.orderId}`}>
                          Explain this order
                        </RemixLink>
                      ) : null}
                    </BlockStack>,
                    formatSigned(entry.points),
                    entry.pendingPoints ? formatSigned(entry.pendingPoints) : "",
                    formatNumber(entry.balanceAfter),
                    formatStaff(entry.createdBy),
                  ])}
                />
              ) : (
                <Box padding="400">
                  <Text as="p" tone="subdued">
                    No points activity yet.
                  </Text>
                </Box>
              )}
              <PaginationFooter page={ledger.page} hasNext={ledger.hasNext} param="ledgerPage" />
            </Card>
            <Card padding="0">
              <Box padding="400">
                <Text as="h2" variant="headingSm">
                  Orders
                </Text>
              </Box>
              {data.orders.length ? (
                <DataTable
                  columnContentTypes={["text", "text", "text", "numeric", "text"]}
                  headings={["Order", "Paid", "Outcome", "Points kept", ""]}
                  rows={data.orders.map((order) => [
                    order.name,
                    formatDate(order.paidAt),
                    order.outcome,
                    formatNumber(order.net),
                    <RemixLink key={order.orderId} to={`/app/orders/${order.orderId}`}>
                      Explain {order.name}
                    </RemixLink>,
                  ])}
                />
              ) : (
                <Box padding="400">
                  <Text as="p" tone="subdued">
                    No orders recorded for this member.
                  </Text>
                </Box>
              )}
            </Card>
            <Card padding="0">
              <Box padding="400">
                <Text as="h2" variant="headingSm">
                  Rewards and codes
                </Text>
              </Box>
              {data.redemptions.length ? (
                <DataTable
                  columnContentTypes={["text", "text", "text", "numeric", "text", "text", "text"]}
                  headings={["Reward", "Code", "Status", "Points", "Redeemed", "Valid until", ""]}
                  rows={data.redemptions.map((r) => [
                    r.reward,
                    r.code,
                    <Badge key={r.id} tone={REDEMPTION_STATUS[r.status]?.tone}>
                      {REDEMPTION_STATUS[r.status]?.label ?? r.status}
                    </Badge>,
                    formatNumber(r.pointsSpent),
                    formatDate(r.createdAt),
                    r.status === "CANCELLED" && r.cancelledAt
                      ? `Cancelled ${formatDate(r.cancelledAt)}`
                      : formatDate(r.endsAt),
                    <CodeAction key={`action-${r.id}`} id={r.id} status={r.status} code={r.code} />,
                  ])}
                />
              ) : (
                <Box padding="400">
                  <Text as="p" tone="subdued">
                    No rewards redeemed yet.
                  </Text>
                </Box>
              )}
            </Card>
          </BlockStack>
        </div>
        <div>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingSm">
                  Tier
                </Text>
                <Text as="p">
                  {tier.name ? `${tier.name} member` : "No tier yet"} ·{" "}
                  {tier.basis === "AMOUNT_SPENT" ? "spent" : "points earned"} in the period:{" "}
                  {tier.metric}
                </Text>
                {tier.next ? (
                  <BlockStack gap="100">
                    <ProgressBar progress={tier.next.progress} ariaLabelledBy="next-tier-label" />
                    <Text as="p" id="next-tier-label" tone="subdued">
                      {tier.next.remaining} more to reach {tier.next.name}
                    </Text>
                  </BlockStack>
                ) : null}
                {member.grantedTier ? (
                  <Banner tone="info">
                    <p>
                      Holds at least {member.grantedTier.name}
                      {member.grantedTier.until
                        ? ` until ${formatDate(member.grantedTier.until)}`
                        : ""}{" "}
                      (imported).
                    </p>
                  </Banner>
                ) : null}
                {data.tierChanges.length ? (
                  <List type="bullet">
                    {data.tierChanges.map((change) => (
                      <List.Item key={change.id}>
                        {formatDate(change.at)}: {change.from ?? "no tier"} →{" "}
                        {change.to ?? "no tier"} ({change.reason})
                      </List.Item>
                    ))}
                  </List>
                ) : null}
              </BlockStack>
            </Card>
            <AdjustPointsCard
              balance={member.balance}
              pointsName={pointsName}
              allowNegative={data.allowNegativeBalance}
            />
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  In Shopify
                </Text>
                <Link url={shopifyCustomerUrl}>Open the customer in Shopify admin</Link>
              </BlockStack>
            </Card>
          </BlockStack>
        </div>
      </InlineGrid>
    </Page>
  );
}
