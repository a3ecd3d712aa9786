import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link as RemixLink, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  DataTable,
  InlineStack,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { recentOrders } from "../admin/orders.server";
import { formatDate } from "../components/format";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 60);
  return recentOrders(session.shop, q, url.searchParams.get("status") === "held");
};

export const meta: MetaFunction = () => [{ title: "Explain an order · Loyalty" }];

export default function ExplainOrderLookup() {
  const data = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const [q, setQ] = useState(data.q);

  return (
    <Page
      title="Explain an order"
      subtitle="Why an order earned what it did, or nothing at all."
      backAction={{ content: "Members", url: "/app/members" }}
    >
      <BlockStack gap="400">
        <Card>
          <Form method="get">
            <InlineStack gap="200" blockAlign="end" wrap={false}>
              <Box width="100%">
                <TextField
                  label="Order number or ID"
                  name="q"
                  placeholder="#1001"
                  autoComplete="off"
                  value={q}
                  onChange={setQ}
                />
              </Box>
              <Button submit variant="primary" loading={navigation.state === "loading"}>
                Find order
              </Button>
            </InlineStack>
          </Form>
        </Card>
        {data.held > 0 && !data.heldOnly ? (
          <Banner
            tone="warning"
            title={`${data.held} ${data.held === 1 ? "order is" : "orders are"} waiting for review`}
          >
            <p>
              They would earn more points than one order may earn without a look (Program settings).{" "}
              <RemixLink to="/app/orders?status=held">Review them</RemixLink>.
            </p>
          </Banner>
        ) : null}
        <Card padding="0">
          <Box padding="400">
            <Text as="h2" variant="headingSm">
              {data.heldOnly
                ? "Orders waiting for review"
                : data.q
                  ? `Orders matching “${data.q}”`
                  : "Recent orders"}
            </Text>
          </Box>
          {data.orders.length ? (
            <DataTable
              columnContentTypes={["text", "text", "text", "numeric", "text", "text"]}
              headings={["Order", "Paid", "Customer", "Total", "Outcome", ""]}
              rows={data.orders.map((order) => [
                order.name,
                formatDate(order.paidAt),
                order.memberId ? (
                  <RemixLink key="m" to={`/app/members/${order.memberId}`}>
                    {order.customer}
                  </RemixLink>
                ) : (
                  order.customer
                ),
                order.total ?? "—",
                order.outcome,
                <RemixLink key="e" to={`/app/orders/${order.orderId}`}>
                  Explain {order.name}
                </RemixLink>,
              ])}
            />
          ) : (
            <Box padding="400">
              <BlockStack gap="200">
                <Text as="p">
                  {data.q ? `We have no record of order ${data.q}.` : "No orders recorded yet."}
                </Text>
                {data.q ? (
                  <Text as="p" tone="subdued">
                    The app learns about an order when Shopify sends its webhook. An order placed
                    before the app was installed, or one whose webhook could not be read, is not
                    here: check Failed events.
                  </Text>
                ) : null}
              </BlockStack>
            </Box>
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}
