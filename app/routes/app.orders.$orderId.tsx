import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { useEffect } from "react";
import { orderExplanation, reviewOrder } from "../admin/orders.server";
import { staffIdentity } from "../admin/staff.server";
import { formValues } from "../domain/forms";
import { useToast } from "../components/toast";
import { formatDateTime, formatSigned, formatStaff } from "../components/format";
import type { LineTone } from "../domain/explain";
import { authenticate } from "../shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return orderExplanation(session.shop, params.orderId ?? "");
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const { intent } = formValues(await request.formData());
  if (intent !== "approve" && intent !== "reject") {
    return { ok: false as const, error: "Unknown request" };
  }
  return reviewOrder(auth.session.shop, params.orderId ?? "", intent, staffIdentity(auth));
};

function HeldOrderReview({ points }: { points: number }) {
  const fetcher = useFetcher<typeof action>();
  const toast = useToast();
  const busy = fetcher.state !== "idle";
  const result = fetcher.data;
  useEffect(() => {
    if (result?.ok) toast(result.status === "EARNED" ? "Points credited" : "Order not credited");
  }, [result, toast]);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingSm">
          Review this order
        </Text>
        <Text as="p">
          Approving credits {points.toLocaleString("en")} points to the member now. Not crediting
          keeps the order in the history with no points.
        </Text>
        {result && !result.ok ? (
          <Text as="p" tone="critical">
            {result.error}
          </Text>
        ) : null}
        <InlineStack gap="200">
          <Button
            variant="primary"
            loading={busy && fetcher.formData?.get("intent") === "approve"}
            disabled={busy}
            onClick={() => fetcher.submit({ intent: "approve" }, { method: "post" })}
          >
            Approve and credit
          </Button>
          <Button
            tone="critical"
            loading={busy && fetcher.formData?.get("intent") === "reject"}
            disabled={busy}
            onClick={() => fetcher.submit({ intent: "reject" }, { method: "post" })}
          >
            Don't credit
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Order ${data?.order.name ?? ""} · Loyalty` },
];

const BADGE: Record<
  LineTone,
  { tone: "success" | "info" | "warning" | "critical"; label: string }
> = {
  success: { tone: "success", label: "Earned" },
  info: { tone: "info", label: "Info" },
  warning: { tone: "warning", label: "Note" },
  critical: { tone: "critical", label: "Taken back" },
};

export default function ExplainOrderPage() {
  const { order, member, explanation } = useLoaderData<typeof loader>();

  return (
    <Page
      title={`Order ${order.name}`}
      subtitle={order.paidAt ? `Paid ${formatDateTime(order.paidAt)}` : "Not paid yet"}
      backAction={{ content: "Explain an order", url: "/app/orders" }}
      secondaryActions={[
        ...(member ? [{ content: `View ${member.name}`, url: `/app/members/${member.id}` }] : []),
        {
          content: "Open order in Shopify",
          url: `shopify://admin/orders/${order.orderId}`,
        },
      ]}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Banner tone={explanation.tone} title={explanation.headline}>
              <p>
                {member ? `Member: ${member.name}. ` : "No member is linked to this order. "}
                Points this order holds now: {explanation.net}.
              </p>
            </Banner>
            {order.held ? <HeldOrderReview points={order.points} /> : null}
            {order.reviewedBy && order.reviewedAt ? (
              <Text as="p" tone="subdued">
                Reviewed by {formatStaff(order.reviewedBy)} on {formatDateTime(order.reviewedAt)}.
              </Text>
            ) : null}
            <Card>
              <BlockStack gap="400">
                <Text as="h2" variant="headingSm">
                  What happened
                </Text>
                {explanation.lines.map((line, index) => (
                  <BlockStack gap="100" key={index}>
                    <InlineStack gap="200" blockAlign="center">
                      <Badge tone={BADGE[line.tone].tone}>{BADGE[line.tone].label}</Badge>
                      <Text as="h3" variant="headingSm">
                        {line.title}
                      </Text>
                      {line.points !== undefined && line.points !== 0 ? (
                        <Text as="span" numeric>
                          {formatSigned(line.points)}
                        </Text>
                      ) : null}
                    </InlineStack>
                    <Text as="p">{line.detail}</Text>
                    {line.at ? (
                      <Text as="p" tone="subdued">
                        {formatDateTime(line.at)}
                      </Text>
                    ) : null}
                  </BlockStack>
                ))}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
