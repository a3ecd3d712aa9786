import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import {
  Link as RemixLink,
  useActionData,
  useLoaderData,
  useNavigation,
  useSubmit,
} from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  DataTable,
  DropZone,
  InlineStack,
  Layout,
  List,
  Page,
  Spinner,
  Text,
} from "@shopify/polaris";
import { recentBatches, uploadImport } from "../admin/imports.server";
import { staffIdentity } from "../admin/staff.server";
import { downloadFile } from "../components/download";
import { formatDateTime, formatNumber } from "../components/format";
import { IMPORT_RUNNING, IMPORT_STATUS, useRevalidateWhile } from "../components/import-status";
import { useToast } from "../components/toast";
import { IMPORT_TEMPLATE, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from "../domain/import-rows";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { batches: await recentBatches(session.shop) };
};

export const meta: MetaFunction = () => [{ title: "Import and export · Loyalty" }];

export const action = async ({ request }: ActionFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const form = await request.formData();
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) {
    return { ok: false as const, errors: { file: "Choose a CSV file to upload" } };
  }
  if (file.size > MAX_IMPORT_BYTES) {
    return {
      ok: false as const,
      errors: { file: "The file is larger than 2 MB; split it into smaller files" },
    };
  }
  const result = await uploadImport(
    auth.session.shop,
    { name: file.name, text: await file.text() },
    staffIdentity(auth),
  );
  if (!result.ok) return result;
  return redirect(`/app/import/${result.batchId}`);
};

function saveTemplate() {
  const href = URL.createObjectURL(new Blob([IMPORT_TEMPLATE], { type: "text/csv" }));
  const anchor = document.createElement("a");
  anchor.href = href;
  anchor.download = "loyalty-import-template.csv";
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

export default function ImportExportPage() {
  const { batches } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const submit = useSubmit();
  const navigation = useNavigation();
  const toast = useToast();
  const uploading = navigation.state === "submitting";
  const error = actionData && !actionData.ok ? actionData.errors.file : undefined;
  // Statuses of imports the worker is still running stay current.
  useRevalidateWhile(
    batches.some((batch) => IMPORT_RUNNING.has(batch.status)),
    3_000,
  );

  const upload = (files: File[]) => {
    const file = files[0];
    if (!file) return;
    const form = new FormData();
    form.set("file", file);
    submit(form, { method: "post", encType: "multipart/form-data" });
  };
  const exportFile = (url: string, name: string) =>
    downloadFile(url, name).catch((e: Error) => toast(e.message, { isError: true }));

  return (
    <Page
      title="Import and export"
      subtitle="Bring members' balances over from another loyalty app, or take your data with you."
      backAction={{ content: "Members", url: "/app/members" }}
    >
      <Layout>
        <Layout.AnnotatedSection
          id="import"
          title="Import balances"
          description="Upload a CSV with a header row. Each row needs an email or a Shopify customer ID, and the points to add. An optional tier column gives the member at least that tier until the current qualification period ends."
        >
          <Card>
            <BlockStack gap="300">
              <List type="bullet">
                <List.Item>
                  Columns: <code>email</code> or <code>customer_id</code>, <code>points</code>, and
                  optionally <code>tier</code>, <code>first_name</code>, <code>last_name</code>.
                </List.Item>
                <List.Item>Points are added to what members already have here.</List.Item>
                <List.Item>
                  You will see a dry run first: nothing is imported until you confirm. Up to{" "}
                  {formatNumber(MAX_IMPORT_ROWS)} rows per file.
                </List.Item>
              </List>
              <DropZone
                accept=".csv,text/csv"
                type="file"
                allowMultiple={false}
                label="CSV file"
                error={Boolean(error)}
                onDropAccepted={upload}
                disabled={uploading}
              >
                {uploading ? (
                  <Box padding="400">
                    <InlineStack gap="200" align="center" blockAlign="center">
                      <Spinner size="small" accessibilityLabel="Uploading" />
                      <Text as="span">Reading the file…</Text>
                    </InlineStack>
                  </Box>
                ) : (
                  <DropZone.FileUpload
                    actionTitle="Upload CSV"
                    actionHint="or drop a .csv file here"
                  />
                )}
              </DropZone>
              {error ? (
                <Banner tone="critical" title="The file was not imported">
                  <p>{error}</p>
                </Banner>
              ) : null}
              <InlineStack>
                <Button variant="plain" onClick={saveTemplate}>
                  Download a template
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="export"
          title="Export"
          description="CSV files you can open in any spreadsheet. The ledger has every points movement with the running balance."
        >
          <Card>
            <InlineStack gap="200">
              <Button onClick={() => exportFile("/app/export/members", "members.csv")}>
                Export members (CSV)
              </Button>
              <Button onClick={() => exportFile("/app/export/ledger", "points-ledger.csv")}>
                Export points ledger (CSV)
              </Button>
            </InlineStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.Section>
          <Card padding="0">
            <Box padding="400">
              <Text as="h2" variant="headingSm">
                Recent imports
              </Text>
            </Box>
            {batches.length ? (
              <DataTable
                columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "text"]}
                headings={["File", "Status", "Valid rows", "Invalid rows", "Points", "Uploaded"]}
                rows={batches.map((batch) => [
                  <RemixLink key="f" to={`/app/import/${batch.id}`}>
                    {batch.fileName}
                  </RemixLink>,
                  <Badge key="s" tone={IMPORT_STATUS[batch.status]?.tone}>
                    {IMPORT_STATUS[batch.status]?.label ?? batch.status}
                  </Badge>,
                  formatNumber(batch.validRows),
                  formatNumber(batch.invalidRows),
                  formatNumber(batch.validPoints),
                  formatDateTime(batch.createdAt),
                ])}
              />
            ) : (
              <Box padding="400">
                <Text as="p" tone="subdued">
                  No imports yet.
                </Text>
              </Box>
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
