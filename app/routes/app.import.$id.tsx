import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link as RemixLink, useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Card,
  DataTable,
  InlineStack,
  Layout,
  Modal,
  Page,
  ProgressBar,
  Tabs,
  Text,
} from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import {
  batchReport,
  discardImport,
  retryImport,
  startApply,
  startUndo,
} from "../admin/imports.server";
import { staffIdentity } from "../admin/staff.server";
import { formatDateTime, formatNumber, formatStaff } from "../components/format";
import {
  IMPORT_RUNNING,
  IMPORT_STATUS,
  ROW_STATUS,
  useRevalidateWhile,
} from "../components/import-status";
import { useToast } from "../components/toast";
import type { FieldErrors } from "../domain/forms";
import { formValues } from "../domain/forms";
import { authenticate } from "../shopify.server";
import { PaginationFooter } from "../components/PaginationFooter";

const FILTERS = ["all", "valid", "invalid"] as const;

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const filter = FILTERS.find((f) => f === url.searchParams.get("rows")) ?? "all";
  const page = Number(url.searchParams.get("page"));
  return batchReport(
    session.shop,
    params.id ?? "",
    filter,
    Number.isInteger(page) && page > 0 ? page : 1,
  );
};

export const meta: MetaFunction = () => [{ title: "Import batch · Loyalty" }];

type ActionResult = { ok: true } | { ok: false; errors: FieldErrors };

/** Every intent only changes the batch's status and queues it; the worker does the work. */
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const shop = auth.session.shop;
  const id = params.id ?? "";
  const { intent } = formValues(await request.formData());
  const staff = staffIdentity(auth);

  switch (intent) {
    case "discard": {
      const discarded = await discardImport(shop, id);
      if (!discarded.ok) return discarded satisfies ActionResult;
      return redirect("/app/import");
    }
    case "apply":
      return (await startApply(shop, id, staff)) satisfies ActionResult;
    case "undo":
      return (await startUndo(shop, id, staff)) satisfies ActionResult;
    case "retry":
      return (await retryImport(shop, id)) satisfies ActionResult;
    default:
      return { ok: false, errors: { form: "Unknown request" } } satisfies ActionResult;
  }
};

export default function ImportBatchPage() {
  const report = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const [params, setParams] = useSearchParams();
  const toast = useToast();
  const [confirm, setConfirm] = useState<"apply" | "undo" | "discard" | null>(null);
  const batch = report.batch;
  const formError = fetcher.data && !fetcher.data.ok ? fetcher.data.errors.form : null;
  const running = IMPORT_RUNNING.has(batch.status);
  const busy = fetcher.state !== "idle";

  // The worker does the work; the page reloads its data to show how far it got.
  useRevalidateWhile(running);

  // Toasts for a phase that finished while this page watched it.
  const seen = useRef({ id: batch.id, status: batch.status });
  useEffect(() => {
    const before = seen.current;
    seen.current = { id: batch.id, status: batch.status };
    if (before.id !== batch.id || before.status === batch.status) return;
    if (batch.status === "APPLIED") toast("Import complete");
    if (batch.status === "UNDONE") toast("Import undone");
  }, [batch.id, batch.status, toast]);

  const send = (intent: string) => fetcher.submit({ intent }, { method: "post" });
  const progress = (() => {
    switch (batch.status) {
      case "VALIDATING":
        return {
          done: batch.totalRows - report.rowsToCheck,
          of: batch.totalRows,
          label: "rows checked",
        };
      case "APPLYING":
        return { done: batch.appliedRows, of: batch.validRows, label: "rows imported" };
      case "UNDOING":
        return { done: batch.undoneRows, of: batch.appliedRows, label: "rows undone" };
      default:
        return null;
    }
  })();
  const status = IMPORT_STATUS[batch.status];
  const selectedTab = Math.max(0, FILTERS.indexOf(report.filter as (typeof FILTERS)[number]));

  const primaryAction =
    batch.status === "VALIDATED" && batch.validRows > 0
      ? {
          content: `Import ${formatNumber(batch.validRows)} ${batch.validRows === 1 ? "row" : "rows"}`,
          onAction: () => setConfirm("apply"),
        }
      : batch.status === "APPLIED" || batch.status === "APPLYING"
        ? {
            content: "Undo import",
            destructive: true,
            onAction: () => setConfirm("undo"),
            disabled: busy && batch.status === "APPLYING",
          }
        : undefined;

  return (
    <Page
      title="Import batch"
      subtitle={`${report.batch.fileName} · uploaded ${formatDateTime(report.batch.createdAt)} by ${formatStaff(report.batch.createdBy)}`}
      titleMetadata={<Badge tone={status?.tone}>{status?.label ?? batch.status}</Badge>}
      backAction={{ content: "Import and export", url: "/app/import" }}
      primaryAction={primaryAction}
      secondaryActions={
        batch.status === "VALIDATED" || batch.status === "VALIDATING"
          ? [
              {
                content: "Discard import",
                destructive: true,
                onAction: () => setConfirm("discard"),
              },
            ]
          : []
      }
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {formError ? (
              <Banner tone="critical" title="Nothing was changed">
                <p>{formError}</p>
              </Banner>
            ) : null}
            {batch.error ? (
              <Banner
                tone="warning"
                title="The import paused"
                action={{ content: "Retry now", onAction: () => send("retry"), loading: busy }}
              >
                <p>
                  {batch.error}. Everything done so far is kept. The import keeps trying by itself
                  for a while; retrying now carries on where it stopped.
                </p>
              </Banner>
            ) : batch.stalled ? (
              <Banner
                tone="warning"
                title="The import is waiting"
                action={{ content: "Resume", onAction: () => send("retry"), loading: busy }}
              >
                <p>
                  Nothing has moved for a few minutes. Everything done so far is kept; resuming
                  carries on where it stopped.
                </p>
              </Banner>
            ) : null}
            {report.alreadyImported && batch.status === "VALIDATED" ? (
              <Banner tone="warning" title="This file was imported before">
                <p>
                  The same file was imported on {formatDateTime(report.alreadyImported.at)} (
                  <RemixLink to={`/app/import/${report.alreadyImported.id}`}>
                    see that import
                  </RemixLink>
                  ). Importing it again adds the points a second time.
                </p>
              </Banner>
            ) : null}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingSm">
                  {batch.status === "VALIDATING"
                    ? "Checking rows against your customers…"
                    : batch.status === "VALIDATED"
                      ? "Dry run: nothing has been imported yet"
                      : batch.status === "APPLYING"
                        ? "Importing…"
                        : batch.status === "APPLIED"
                          ? `Imported ${formatDateTime(batch.appliedAt)}`
                          : batch.status === "UNDOING"
                            ? "Undoing…"
                            : `Undone ${formatDateTime(batch.undoneAt)}`}
                </Text>
                <Text as="p">
                  {formatNumber(batch.totalRows)} rows in the file: {formatNumber(batch.validRows)}{" "}
                  valid ({formatNumber(batch.validPoints)} points),{" "}
                  {formatNumber(batch.invalidRows)} invalid
                  {batch.status === "VALIDATING" ? " so far" : ""}.
                  {batch.invalidRows > 0 && batch.status === "VALIDATED"
                    ? " Invalid rows are skipped; fix them in the file and upload it again (valid rows already imported would then count twice, so remove them)."
                    : ""}
                </Text>
                {progress ? (
                  <BlockStack gap="100">
                    <ProgressBar
                      progress={
                        progress.of
                          ? Math.min(100, Math.round((progress.done / progress.of) * 100))
                          : 100
                      }
                      ariaLabelledBy="import-progress"
                    />
                    <Text as="p" id="import-progress">
                      {formatNumber(progress.done)} of {formatNumber(progress.of)} {progress.label}
                    </Text>
                  </BlockStack>
                ) : null}
                {batch.status === "UNDONE" && batch.undoShortfall > 0 ? (
                  <Text as="p">
                    {formatNumber(batch.undoShortfall)} points could not be taken back because
                    members had already spent them.
                  </Text>
                ) : null}
              </BlockStack>
            </Card>
            <Card padding="0">
              <Tabs
                tabs={FILTERS.map((filter) => ({
                  id: `rows-${filter}`,
                  content: filter === "all" ? "All rows" : filter === "valid" ? "Valid" : "Invalid",
                }))}
                selected={selectedTab}
                onSelect={(index) => {
                  const next = new URLSearchParams(params);
                  next.set("rows", FILTERS[index] ?? "all");
                  next.delete("page");
                  setParams(next, { preventScrollReset: true });
                }}
              />
              {report.rows.length ? (
                <DataTable
                  columnContentTypes={["numeric", "text", "text", "numeric", "text", "text"]}
                  headings={["Line", "Email", "Customer ID", "Points", "Tier", "Result"]}
                  rows={report.rows.map((row) => [
                    row.line,
                    row.email ?? "—",
                    row.memberId ? (
                      <RemixLink key="m" to={`/app/members/${row.memberId}`}>
                        {row.customerId}
                      </RemixLink>
                    ) : (
                      (row.customerId ?? "—")
                    ),
                    row.points === null ? "—" : formatNumber(row.points),
                    row.tier ?? "—",
                    <BlockStack key="r" gap="050">
                      <InlineStack>
                        <Badge tone={ROW_STATUS[row.status]?.tone}>
                          {ROW_STATUS[row.status]?.label ?? row.status}
                        </Badge>
                      </InlineStack>
                      {row.error ? (
                        <Text as="span" tone="critical">
                          {row.error}
                        </Text>
                      ) : null}
                      {row.shortfall > 0 ? (
                        <Text as="span">{row.shortfall} points could not be taken back</Text>
                      ) : null}
                    </BlockStack>,
                  ])}
                />
              ) : (
                <Box padding="400">
                  <Text as="p" tone="subdued">
                    No rows here.
                  </Text>
                </Box>
              )}
              <PaginationFooter page={report.page} hasNext={report.hasNext} />
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
      <Modal
        open={confirm !== null}
        onClose={() => setConfirm(null)}
        title={
          confirm === "apply"
            ? "Import these balances?"
            : confirm === "undo"
              ? "Undo this import?"
              : "Discard this import?"
        }
        primaryAction={{
          content:
            confirm === "apply"
              ? "Import balances"
              : confirm === "undo"
                ? "Undo import"
                : "Discard import",
          destructive: confirm !== "apply",
          onAction: () => {
            if (confirm) send(confirm);
            setConfirm(null);
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirm(null) }]}
      >
        <Modal.Section>
          <Text as="p">
            {confirm === "apply"
              ? `${formatNumber(batch.validPoints)} points will be added to ${formatNumber(batch.validRows)} members' balances. You can undo the whole import later.`
              : confirm === "undo"
                ? `The ${formatNumber(batch.appliedRows)} imported balances are taken back and imported tiers removed. Points members already spent cannot be taken back; they are recorded as shortfall.`
                : "The uploaded rows are deleted. Nothing was imported, so no balance changes."}
          </Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}
