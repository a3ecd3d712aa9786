import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  Card,
  DataTable,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { useEffect } from "react";
import { dataRequests, failedEvents, replay } from "../admin/support.server";
import { staffIdentity } from "../admin/staff.server";
import { downloadFile } from "../components/download";
import { formatDateTime, formatNumber } from "../components/format";
import { useToast } from "../components/toast";
import { formValues } from "../domain/forms";
import { authenticate } from "../shopify.server";
import { PaginationFooter } from "../components/PaginationFooter";

function pageParam(url: URL, name: string) {
  const page = Number(url.searchParams.get(name));
  return Number.isInteger(page) && page > 0 ? page : 1;
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  return {
    failed: await failedEvents(session.shop, pageParam(url, "page")),
    dataRequests: await dataRequests(session.shop, pageParam(url, "requestsPage")),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const { intent, id } = formValues(await request.formData());
  if (intent !== "replay" || !id) return { ok: false as const, error: "Unknown request" };
  return replay(auth.session.shop, id, staffIdentity(auth));
};

export const meta: MetaFunction = () => [{ title: "Failed events · Loyalty" }];

type Event = Awaited<ReturnType<typeof loader>>["failed"]["events"][number];

const REASONS: Record<Event["reason"], string> = {
  UNPARSEABLE: "Not readable JSON",
  INVALID: "Not a payload the app can use",
  EFFECT_FAILED: "Applying it kept failing",
};

function StatusBadge({ event }: { event: Event }) {
  if (event.status === "REPLAYED") return <Badge tone="success">Replayed</Badge>;
  if (event.status === "FAILING")
    return <Badge tone="attention">{`Retrying (attempt ${event.attempts})`}</Badge>;
  return <Badge tone="critical">Set aside</Badge>;
}

function ReplayButton({ event }: { event: Event }) {
  const fetcher = useFetcher<typeof action>();
  const toast = useToast();
  const result = fetcher.data;
  useEffect(() => {
    if (!result) return;
    if (result.ok) toast("Webhook replayed");
    else toast(result.error, { isError: true });
  }, [result, toast]);
  if (!event.replayable) return null;
  return (
    <Button
      size="slim"
      loading={fetcher.state !== "idle"}
      onClick={() => fetcher.submit({ intent: "replay", id: event.id }, { method: "post" })}
      accessibilityLabel={`Replay ${event.topic} received ${formatDateTime(event.createdAt)}`}
    >
      Replay
    </Button>
  );
}

function useDownload() {
  const toast = useToast();
  return (url: string, name: string) =>
    downloadFile(url, name).catch((error: Error) => toast(error.message, { isError: true }));
}

export default function FailedEventsPage() {
  const { failed, dataRequests: requests } = useLoaderData<typeof loader>();
  const download = useDownload();

  return (
    <Page
      title="Failed events"
      subtitle="Webhooks Shopify sent correctly signed but that we could not read, and customer data requests."
      backAction={{ content: "Dashboard", url: "/app" }}
    >
      <Layout>
        <Layout.Section>
          <Card padding="0">
            <Box padding="400">
              <BlockStack gap="100">
                <Text as="h2" variant="headingSm">
                  Webhooks the app could not apply ({formatNumber(failed.total)})
                </Text>
                <Text as="p" tone="subdued">
                  Each was acknowledged so Shopify would not retry it for hours, and nothing of it
                  was applied: an order listed here earned no points. Once the cause is fixed,
                  replay it; otherwise download the payload for support.
                </Text>
              </BlockStack>
            </Box>
            {failed.events.length ? (
              <DataTable
                columnContentTypes={["text", "text", "text", "text", "text"]}
                headings={["Received", "Topic", "Problem", "Status", ""]}
                rows={failed.events.map((event) => [
                  formatDateTime(event.createdAt),
                  event.topic,
                  <BlockStack key="p" gap="100">
                    <Text as="span" fontWeight="semibold">
                      {REASONS[event.reason]}
                    </Text>
                    <Text as="span" breakWord tone="subdued">
                      {event.error}
                    </Text>
                    {event.truncated ? (
                      <Text as="span" tone="subdued">
                        {`Payload of ${formatNumber(event.payloadBytes)} bytes, kept in part.`}
                      </Text>
                    ) : null}
                  </BlockStack>,
                  <StatusBadge key="s" event={event} />,
                  <InlineStack key="a" gap="200" wrap={false}>
                    <ReplayButton event={event} />
                    <Button
                      size="slim"
                      variant="plain"
                      onClick={() =>
                        download(`/app/failed-events/${event.id}`, `failed-event-${event.id}.json`)
                      }
                      accessibilityLabel={`Download payload of ${event.topic} received ${formatDateTime(event.createdAt)}`}
                    >
                      Download
                    </Button>
                  </InlineStack>,
                ])}
              />
            ) : (
              <Box padding="400">
                <Text as="p">No failed events. Every webhook so far was read and applied.</Text>
              </Box>
            )}
            <PaginationFooter page={failed.page} hasNext={failed.hasNext} />
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <Box padding="400">
              <BlockStack gap="100">
                <Text as="h2" variant="headingSm">
                  Customer data requests ({formatNumber(requests.total)})
                </Text>
                <Text as="p" tone="subdued">
                  When a customer asks Shopify for their data, we prepare everything the loyalty
                  program holds about them. Download it and send it to the customer.
                </Text>
              </BlockStack>
            </Box>
            {requests.requests.length ? (
              <DataTable
                columnContentTypes={["text", "text", "text", "text"]}
                headings={["Received", "Customer ID", "Request ID", ""]}
                rows={requests.requests.map((r) => [
                  formatDateTime(r.createdAt),
                  r.customerId,
                  r.requestId ?? "—",
                  <Button
                    key="d"
                    size="slim"
                    onClick={() =>
                      download(`/app/data-requests/${r.id}`, `customer-${r.customerId}-data.json`)
                    }
                    accessibilityLabel={`Download data for customer ${r.customerId}`}
                  >
                    Download
                  </Button>,
                ])}
              />
            ) : (
              <Box padding="400">
                <Text as="p">No data requests received.</Text>
              </Box>
            )}
            <PaginationFooter
              page={requests.page}
              hasNext={requests.hasNext}
              param="requestsPage"
            />
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
