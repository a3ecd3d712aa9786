import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  BlockStack,
  Box,
  Button,
  Card,
  DataTable,
  InlineStack,
  Layout,
  Modal,
  Page,
  Text,
} from "@shopify/polaris";
import { useState } from "react";
import { dataRequests, failedEvents } from "../admin/support.server";
import { downloadFile } from "../components/download";
import { formatDateTime, formatNumber } from "../components/format";
import { useToast } from "../components/toast";
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

export const meta: MetaFunction = () => [{ title: "Failed events · Loyalty" }];

type Event = Awaited<ReturnType<typeof loader>>["failed"]["events"][number];

function useDownload() {
  const toast = useToast();
  return (url: string, name: string) =>
    downloadFile(url, name).catch((error: Error) => toast(error.message, { isError: true }));
}

export default function FailedEventsPage() {
  const { failed, dataRequests: requests } = useLoaderData<typeof loader>();
  const [open, setOpen] = useState<Event | null>(null);
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
                  Webhooks that failed validation ({formatNumber(failed.total)})
                </Text>
                <Text as="p" tone="subdued">
                  These were acknowledged so Shopify would not retry them for hours, and nothing was
                  applied. Send the payload to support; an order listed here earned no points.
                </Text>
              </BlockStack>
            </Box>
            {failed.events.length ? (
              <DataTable
                columnContentTypes={["text", "text", "text", "text"]}
                headings={["Received", "Topic", "Error", ""]}
                rows={failed.events.map((event) => [
                  formatDateTime(event.createdAt),
                  event.topic,
                  <Text as="span" key="e" breakWord>
                    {event.error}
                  </Text>,
                  <InlineStack key="a" gap="200" wrap={false}>
                    <Button
                      size="slim"
                      onClick={() => setOpen(event)}
                      accessibilityLabel={`View payload of ${event.topic} received ${formatDateTime(event.createdAt)}`}
                    >
                      View payload
                    </Button>
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
      <Modal
        open={open !== null}
        onClose={() => setOpen(null)}
        title={open ? `${open.topic} payload` : "Payload"}
        secondaryActions={[{ content: "Close", onAction: () => setOpen(null) }]}
        primaryAction={
          open
            ? {
                content: "Download full payload",
                onAction: () =>
                  download(`/app/failed-events/${open.id}`, `failed-event-${open.id}.json`),
              }
            : undefined
        }
      >
        <Modal.Section>
          <BlockStack gap="200">
            <Text as="p">
              <strong>Error:</strong> {open?.error}
            </Text>
            <Text as="p" tone="subdued">
              Webhook ID: {open?.webhookId ?? "unknown"}
            </Text>
            <Box
              as="section"
              background="bg-surface-secondary"
              padding="300"
              borderRadius="200"
              overflowX="scroll"
            >
              <pre style={{ margin: 0, fontSize: 12, whiteSpace: "pre-wrap" }}>
                {open?.payloadPreview}
                {open?.payloadTruncated ? "\n… (truncated; download for the full payload)" : ""}
              </pre>
            </Box>
          </BlockStack>
        </Modal.Section>
      </Modal>
    </Page>
  );
}
