import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Collapsible,
  DataTable,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  SkeletonBodyText,
  Text,
  TextField,
} from "@shopify/polaris";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css";
import { lazy, Suspense, useEffect, useState } from "react";
import { dashboard, shopTimeZone, updateSetup } from "../admin/dashboard.server";
import { formatNumber } from "../components/format";
import {
  formatPermille,
  parseDateRange,
  RANGE_PRESETS,
  type RangePreset,
} from "../domain/dashboard";
import { formatMoney } from "../domain/money";
import { formValues } from "../domain/forms";
import { appAdmin, authenticate } from "../shopify.server";

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

// polaris-viz touches `window`; it is loaded only in the browser, after hydration.
const DashboardCharts = lazy(() => import("../components/DashboardCharts"));

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const timeZone = await shopTimeZone(session.shop, () => appAdmin(session.shop));
  const range = parseDateRange(new URL(request.url).searchParams, new Date(), timeZone);
  return {
    shop: session.shop,
    ...(await dashboard(session.shop, range, process.env.SHOPIFY_API_KEY ?? "")),
  };
};

export const meta: MetaFunction = () => [{ title: "Loyalty dashboard · Loyalty" }];

const SETUP_INTENTS = ["confirmEmbed", "dismissSetup", "showSetup"] as const;

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { intent } = formValues(await request.formData());
  const known = SETUP_INTENTS.find((i) => i === intent);
  if (!known) return { ok: false as const, errors: { form: "Unknown request" } };
  await updateSetup(session.shop, known);
  return { ok: true as const };
};

function Metric({ label, value, help }: { label: string; value: string; help?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg">
          {value}
        </Text>
        {help ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {help}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function useMounted() {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}

function Checklist({
  items,
}: {
  items: { id: string; title: string; description: string; done: boolean; url: string }[];
}) {
  const fetcher = useFetcher<typeof action>();
  const done = items.filter((i) => i.done).length;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Set up your program
          </Text>
          <Text as="p" tone="subdued">
            {done} of {items.length} done
          </Text>
        </InlineStack>
        {items.map((item) => (
          <Box
            key={item.id}
            padding="300"
            borderWidth="025"
            borderColor="border"
            borderRadius="200"
          >
            <InlineStack align="space-between" blockAlign="center" gap="300">
              <BlockStack gap="100">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="h3" variant="headingSm">
                    {item.title}
                  </Text>
                  <Badge tone={item.done ? "success" : undefined}>
                    {item.done ? "Done" : "To do"}
                  </Badge>
                </InlineStack>
                <Text as="p" tone="subdued">
                  {item.description}
                </Text>
              </BlockStack>
              <InlineStack gap="200">
                {item.id === "embed" ? (
                  <>
                    <Button
                      url={item.url}
                      target="_top"
                      accessibilityLabel="Open theme editor at App embeds"
                    >
                      Open theme editor
                    </Button>
                    {!item.done ? (
                      <Button
                        onClick={() =>
                          fetcher.submit({ intent: "confirmEmbed" }, { method: "post" })
                        }
                        loading={fetcher.state !== "idle"}
                      >
                        I turned it on
                      </Button>
                    ) : null}
                  </>
                ) : (
                  <Button url={item.url}>
                    {item.id === "reward" ? "Create reward" : "Review earn rate"}
                  </Button>
                )}
              </InlineStack>
            </InlineStack>
          </Box>
        ))}
        <InlineStack>
          <Button
            variant="plain"
            onClick={() => fetcher.submit({ intent: "dismissSetup" }, { method: "post" })}
          >
            Hide setup guide
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

function ShowSetupButton() {
  const fetcher = useFetcher<typeof action>();
  return (
    <InlineStack>
      <Button
        variant="plain"
        onClick={() => fetcher.submit({ intent: "showSetup" }, { method: "post" })}
      >
        Show setup guide
      </Button>
    </InlineStack>
  );
}

/**
 * The range picker keeps its own state: choosing a range re-renders this form, not the whole
 * dashboard with its charts (at 4× CPU that re-render made the choice a 296 ms interaction).
 */
function RangeForm({
  range,
  loading,
}: {
  range: { preset: RangePreset; startDay: string; endDay: string };
  loading: boolean;
}) {
  const [preset, setPreset] = useState(range.preset);
  const [startDay, setStartDay] = useState(range.startDay);
  const [endDay, setEndDay] = useState(range.endDay);
  return (
    <Form method="get">
      <InlineStack gap="300" blockAlign="end" wrap>
        <Select
          label="Date range"
          name="range"
          options={RANGE_PRESETS}
          value={preset}
          onChange={(value) => setPreset(value as typeof preset)}
        />
        {preset === "custom" ? (
          <>
            <TextField
              label="From"
              type="date"
              name="start"
              autoComplete="off"
              value={startDay}
              onChange={setStartDay}
            />
            <TextField
              label="To"
              type="date"
              name="end"
              autoComplete="off"
              value={endDay}
              onChange={setEndDay}
            />
          </>
        ) : null}
        <Button submit loading={loading}>
          Apply date range
        </Button>
      </InlineStack>
    </Form>
  );
}

type NpsData = NonNullable<Awaited<ReturnType<typeof dashboard>>["nps"]>;

/** The survey's Net Promoter Score for the period, its trend per chart period, latest comments. */
function NpsCard({ nps }: { nps: NpsData }) {
  const { summary } = nps;
  const signed = (n: number | null) => (n === null ? "—" : n > 0 ? `+${n}` : String(n));
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Net Promoter Score
        </Text>
        <InlineStack gap="400" blockAlign="end">
          <Text as="p" variant="heading2xl">
            {signed(summary.score)}
          </Text>
          <Text as="p" tone="subdued">
            {summary.responses
              ? `${formatNumber(summary.responses)} answers: ${formatNumber(summary.promoters)} promoters (9–10), ${formatNumber(summary.passives)} passives (7–8), ${formatNumber(summary.detractors)} detractors (0–6)`
              : "No answers in this period."}
          </Text>
        </InlineStack>
        {nps.trend.length > 1 ? (
          <DataTable
            columnContentTypes={["text", "numeric", "numeric"]}
            headings={["Period", "Answers", "NPS"]}
            rows={nps.trend.map((t) => [t.label, formatNumber(t.responses), signed(t.score)])}
          />
        ) : null}
        {nps.comments.length ? (
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              Latest comments
            </Text>
            {nps.comments.map((c) => (
              <Box
                key={c.id}
                padding="200"
                borderWidth="025"
                borderColor="border"
                borderRadius="200"
              >
                <BlockStack gap="100">
                  {/* A comment's own line breaks are kept. */}
                  <div style={{ whiteSpace: "pre-line" }}>
                    <Text as="p">{c.comment}</Text>
                  </div>
                  <Text as="p" tone="subdued" variant="bodySm">
                    {`${c.score}/10 · `}
                    <Button variant="plain" url={`/app/members/${c.memberId}`}>
                      {c.member}
                    </Button>
                    {` · ${c.date}`}
                  </Text>
                </BlockStack>
              </Box>
            ))}
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}

export default function Dashboard() {
  const data = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const mounted = useMounted();
  const [showTable, setShowTable] = useState(false);
  const { metrics, charts, program } = data;
  const pointsName = program.pointsName.other;
  const money = (minor: number) => formatMoney(minor, program.currency);

  return (
    <Page title="Loyalty dashboard" subtitle={data.shop}>
      <Layout>
        {!program.enabled ? (
          <Layout.Section>
            <Banner
              tone="warning"
              title="The program is off"
              action={{ content: "Program settings", url: "/app/program" }}
            >
              <p>Orders earn nothing and the storefront widget is hidden until you turn it on.</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {program.storefrontSyncError ? (
          <Layout.Section>
            <Banner
              tone="warning"
              title="The storefront shows outdated program settings"
              action={{ content: "Update storefront", url: "/app/program" }}
            >
              <p>{program.storefrontSyncError}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {data.checklist && data.checklist.some((i) => !i.done) ? (
          <Layout.Section>
            <Checklist items={data.checklist} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <RangeForm range={data.range} loading={navigation.state === "loading"} />
            <Box paddingBlockStart="200">
              <Text as="p" tone={data.range.error ? "critical" : "subdued"}>
                {data.range.error
                  ? `${data.range.error}. Showing the last 30 days.`
                  : `Showing ${data.range.startDay} to ${data.range.endDay} (${data.range.timeZone}).`}
              </Text>
            </Box>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Members
            </Text>
            <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="300">
              <Metric
                label="Members"
                value={formatNumber(metrics.members)}
                help={`${formatNumber(metrics.newMembers)} joined in this period`}
              />
              <Metric
                label="Active members"
                value={formatNumber(metrics.activeMembers)}
                help="Earned, redeemed or had points adjusted in this period"
              />
              <Metric
                label="Redemption rate"
                value={formatPermille(metrics.redemptionRate)}
                help={`${pointsName} redeemed ÷ ${pointsName} issued`}
              />
            </InlineGrid>
            <Text as="h2" variant="headingMd">
              Points
            </Text>
            <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="300">
              <Metric
                label="Issued"
                value={formatNumber(metrics.pointsIssued)}
                help={`${formatNumber(metrics.pointsTakenBack)} taken back by refunds, cancellations and corrections`}
              />
              <Metric label="Redeemed" value={formatNumber(metrics.pointsRedeemed)} />
              <Metric label="Expired" value={formatNumber(metrics.pointsExpired)} />
              <Metric
                label="Outstanding (liability)"
                value={formatNumber(metrics.outstandingPoints)}
                help={
                  metrics.liability
                    ? `Worth about ${metrics.liability} at ${metrics.liabilityBasis}. Today, not limited to the period.`
                    : "Create an amount-off reward to value outstanding points in money."
                }
              />
            </InlineGrid>
            <Text as="h2" variant="headingMd">
              Does it pay?
            </Text>
            <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="300">
              <Metric
                label="Orders from members"
                value={formatNumber(metrics.memberOrders)}
                help={`${metrics.memberRevenue} revenue`}
              />
              <Metric
                label="Orders from guests"
                value={formatNumber(metrics.guestOrders)}
                help={`${metrics.guestRevenue} revenue`}
              />
              <Metric
                label="Orders that used a reward"
                value={formatNumber(metrics.rewardOrders)}
                help={`${metrics.rewardRevenue} revenue`}
              />
            </InlineGrid>
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="300">
            {mounted ? (
              <Suspense
                fallback={
                  <Card>
                    <SkeletonBodyText lines={8} />
                  </Card>
                }
              >
                <DashboardCharts {...charts} currency={program.currency} pointsName={pointsName} />
              </Suspense>
            ) : (
              <Card>
                <SkeletonBodyText lines={8} />
              </Card>
            )}
            <InlineStack>
              <Button
                variant="plain"
                onClick={() => setShowTable((v) => !v)}
                ariaExpanded={showTable}
                ariaControls="chart-data"
              >
                {showTable ? "Hide chart data" : "Show chart data as a table"}
              </Button>
            </InlineStack>
            <Collapsible id="chart-data" open={showTable}>
              <Card padding="0">
                <DataTable
                  columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
                  headings={[
                    "Period",
                    `${pointsName} issued`,
                    `${pointsName} redeemed`,
                    "Member revenue",
                    "Guest revenue",
                  ]}
                  rows={charts.labels.map((label, i) => [
                    label,
                    formatNumber(charts.issued[i] ?? 0),
                    formatNumber(charts.redeemed[i] ?? 0),
                    money(charts.memberRevenueMinor[i] ?? 0),
                    money(charts.guestRevenueMinor[i] ?? 0),
                  ])}
                />
              </Card>
            </Collapsible>
            {data.nps ? <NpsCard nps={data.nps} /> : null}
            {data.checklist === null ? <ShowSetupButton /> : null}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
