import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Button,
  Card,
  EmptyState,
  IndexTable,
  Page,
  Tabs,
  Text,
  type BadgeProps,
} from "@shopify/polaris";
import { listReferrals } from "../admin/referrals.server";
import type { ReferralStatus } from "../domain/referrals";
import { parseReferralStatus, REFERRAL_STATUSES } from "../domain/referrals";
import { PaginationFooter } from "../components/PaginationFooter";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const page = Math.max(1, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1);
  return listReferrals(session.shop, parseReferralStatus(url.searchParams.get("status")), page);
};

export const meta: MetaFunction = () => [{ title: "Referrals · Loyalty" }];

const STATUS: Record<ReferralStatus, { label: string; tone?: BadgeProps["tone"] }> = {
  OFFERED: { label: "Invited" },
  PENDING: { label: "Pending", tone: "attention" },
  REWARDED: { label: "Rewarded", tone: "success" },
  VOID: { label: "No reward", tone: "critical" },
};

const day = (iso: string) => new Date(iso).toLocaleDateString("en", { dateStyle: "medium" });

export default function ReferralsPage() {
  const { referrals, counts, page, hasNext } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const current = parseReferralStatus(params.get("status"));
  const tabs = [
    { id: "all", content: "All" },
    ...REFERRAL_STATUSES.map((s) => ({ id: s, content: `${STATUS[s].label} (${counts[s]})` })),
  ];
  const selected = current ? REFERRAL_STATUSES.indexOf(current) + 1 : 0;
  const choose = (index: number) => {
    const next = new URLSearchParams();
    if (index > 0) next.set("status", REFERRAL_STATUSES[index - 1]!);
    setParams(next);
  };

  return (
    <Page
      title="Referrals"
      subtitle="Friends invited by members, the welcome code each got, and whether the member earned points for it."
      secondaryActions={[{ content: "Referral settings", url: "/app/program#referrals" }]}
    >
      <Card padding="0">
        <Tabs tabs={tabs} selected={selected} onSelect={choose} />
        {referrals.length === 0 ? (
          <EmptyState
            heading={current ? "No referrals with this status" : "No referrals yet"}
            action={{ content: "Referral settings", url: "/app/program#referrals" }}
            image="https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png"
          >
            <p>
              When referrals are on, signed-in members find their link in the storefront widget.
              Every friend who asks for a welcome code is listed here.
            </p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: "referral", plural: "referrals" }}
            itemCount={referrals.length}
            selectable={false}
            headings={[
              { title: "Invited" },
              { title: "Member" },
              { title: "Friend" },
              { title: "Welcome code" },
              { title: "Order" },
              { title: "Status" },
              { title: "Points", alignment: "end" },
            ]}
          >
            {referrals.map((r, index) => (
              <IndexTable.Row id={r.id} key={r.id} position={index}>
                <IndexTable.Cell>
                  <Text as="span" numeric>
                    {day(r.createdAt)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Button variant="plain" url={`/app/members/${r.referrer.memberId}`}>
                    {r.referrer.name}
                  </Button>
                </IndexTable.Cell>
                <IndexTable.Cell>{r.friend}</IndexTable.Cell>
                <IndexTable.Cell>
                  {r.codeStatus === "ISSUED"
                    ? r.code
                    : r.codeStatus === "PENDING"
                      ? `${r.code} (being created)`
                      : "Not created"}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {r.order ? (
                    <Button variant="plain" url={`/app/orders/${encodeURIComponent(r.order.id)}`}>
                      {r.order.name}
                    </Button>
                  ) : (
                    "—"
                  )}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={STATUS[r.status].tone}>{STATUS[r.status].label}</Badge>
                  {r.reason ? (
                    <Text as="p" tone="subdued">
                      {r.reason}
                    </Text>
                  ) : r.status === "PENDING" && r.availableAt ? (
                    <Text as="p" tone="subdued">
                      {`Spendable on ${day(r.availableAt)}`}
                    </Text>
                  ) : null}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {r.points ? r.points.toLocaleString("en") : "—"}
                  </Text>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
        <PaginationFooter page={page} hasNext={hasNext} />
      </Card>
    </Page>
  );
}
