import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  ButtonGroup,
  Card,
  EmptyState,
  FormLayout,
  InlineStack,
  Layout,
  Modal,
  Page,
  ProgressBar,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { staffIdentity } from "../admin/staff.server";
import { advanceReevaluation, saveTiers, tiersPage } from "../admin/tiers.server";
import { loadProgram } from "../admin/program.server";
import { AdminSaveBar } from "../components/AdminSaveBar";
import { useFormState } from "../components/form-state";
import { formatNumber } from "../components/format";
import { useToast } from "../components/toast";
import type { FieldErrors } from "../domain/forms";
import { formValues } from "../domain/forms";
import type { TierRowInput } from "../domain/tier-ladder";
import {
  formatMultiplier,
  formatThreshold,
  MAX_TIERS,
  parseTierLadder,
  TIER_BASIS_OPTIONS,
  TIER_PERIOD_OPTIONS,
} from "../domain/tier-ladder";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return tiersPage(session.shop);
};

export const meta: MetaFunction = () => [{ title: "Tiers · Loyalty" }];

export const action = async ({ request }: ActionFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const shop = auth.session.shop;
  const input = formValues(await request.formData());
  if (input.intent === "advance") {
    return { ok: true as const, job: await advanceReevaluation(shop, input.jobId ?? "") };
  }
  const program = await loadProgram(shop);
  const parsed = parseTierLadder(input, program.currency);
  if (!parsed.ok) return { ok: false as const, errors: parsed.errors };
  const saved = await saveTiers(shop, parsed.data, staffIdentity(auth));
  if (!saved.ok) return { ok: false as const, errors: saved.errors };
  return { ok: true as const, job: saved.job };
};

interface Row extends TierRowInput {
  /** Stable React key for rows not saved yet. */
  key: string;
  members: number;
  rewards: string[];
}

interface FormValues extends Record<string, unknown> {
  tierBasis: string;
  tierPeriod: string;
  rows: Row[];
}

function ReevaluationProgress({
  job,
}: {
  job: {
    id: string;
    status: string;
    total: number;
    processed: number;
    changed: number;
    stalled: boolean;
  };
}) {
  const fetcher = useFetcher<typeof action>();
  const latest = fetcher.data?.ok && fetcher.data.job?.id === job.id ? fetcher.data.job : job;
  const running = latest.status === "RUNNING";
  const percent = latest.total
    ? Math.min(100, Math.round((latest.processed / latest.total) * 100))
    : 100;

  // Keeps the job moving while the page is open; each request does a couple of seconds of work.
  useEffect(() => {
    if (!running || fetcher.state !== "idle" || (latest.stalled && !fetcher.data)) return;
    fetcher.submit({ intent: "advance", jobId: job.id }, { method: "post" });
  }, [running, fetcher, job.id, latest.stalled]);

  if (!running && latest.status !== "DONE") return null;
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm">
          {running ? "Re-evaluating members" : "Members re-evaluated"}
        </Text>
        <ProgressBar
          progress={percent}
          tone={running ? "highlight" : "success"}
          ariaLabelledBy="tier-progress-label"
        />
        <Text as="p" id="tier-progress-label">
          {formatNumber(latest.processed)} of {formatNumber(latest.total)} members checked (
          {percent}%), {formatNumber(latest.changed)} changed tier.
        </Text>
        {running && latest.stalled && !fetcher.data ? (
          <InlineStack>
            <Button
              onClick={() =>
                fetcher.submit({ intent: "advance", jobId: job.id }, { method: "post" })
              }
            >
              Resume re-evaluation
            </Button>
          </InlineStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}

let nextKey = 0;

export default function TiersPage() {
  const data = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const toast = useToast();
  const form = useFormState<FormValues>({
    tierBasis: data.tierBasis,
    tierPeriod: data.tierPeriod,
    rows: data.tiers.map((tier) => ({
      key: tier.id,
      id: tier.id,
      name: tier.name,
      threshold: formatThreshold(tier.threshold, data.tierBasis, data.currency),
      multiplier: formatMultiplier(tier.multiplierPercent),
      perks: tier.perks,
      members: tier.members,
      rewards: tier.rewards,
    })),
  });
  const { values, setValues } = form;
  const [confirmRemove, setConfirmRemove] = useState<Row | null>(null);
  const saving = fetcher.state !== "idle" && fetcher.formData?.get("intent") === "save";
  const result = fetcher.data;
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  const spend = values.tierBasis === "AMOUNT_SPENT";

  useEffect(() => {
    if (fetcher.state === "idle" && result?.ok) toast("Tiers saved");
  }, [fetcher.state, result, toast]);

  const updateRow = (index: number, patch: Partial<Row>) =>
    setValues((current) => ({
      ...current,
      rows: current.rows.map((row, i) => (i === index ? { ...row, ...patch } : row)),
    }));
  const move = (index: number, by: -1 | 1) =>
    setValues((current) => {
      const rows = [...current.rows];
      const [row] = rows.splice(index, 1);
      rows.splice(index + by, 0, row!);
      return { ...current, rows };
    });
  const remove = (row: Row) =>
    setValues((current) => ({ ...current, rows: current.rows.filter((r) => r.key !== row.key) }));
  const add = () =>
    setValues((current) => ({
      ...current,
      rows: [
        ...current.rows,
        {
          key: `new-${nextKey++}`,
          id: null,
          name: "",
          threshold: "",
          multiplier: "1",
          perks: "",
          members: 0,
          rewards: [],
        },
      ],
    }));
  const save = () =>
    fetcher.submit(
      {
        intent: "save",
        tierBasis: values.tierBasis,
        tierPeriod: values.tierPeriod,
        tiers: JSON.stringify(
          values.rows.map(({ id, name, threshold, multiplier, perks }) => ({
            id,
            name,
            threshold,
            multiplier,
            perks,
          })),
        ),
      },
      { method: "post" },
    );
  const job = result?.ok && result.job ? result.job : data.job;

  return (
    <Page
      title="Tiers"
      subtitle="Members move up as they earn points or spend. Higher tiers can earn faster and unlock rewards."
      backAction={{ content: "Dashboard", url: "/app" }}
      primaryAction={{
        content: "Save tiers",
        onAction: save,
        disabled: !form.dirty,
        loading: saving,
      }}
    >
      <AdminSaveBar
        id="tiers-save-bar"
        open={form.dirty}
        saving={saving}
        onSave={save}
        onDiscard={form.reset}
      />
      <Layout>
        {Object.keys(errors).length ? (
          <Layout.Section>
            <Banner tone="critical" title="Nothing was saved">
              <p>{errors.form ?? "Fix the highlighted fields and save again."}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {job ? (
          <Layout.Section>
            <ReevaluationProgress key={job.id} job={job} />
          </Layout.Section>
        ) : null}
        <Layout.AnnotatedSection
          id="qualification"
          title="Qualification"
          description="What moves members between tiers, and over which period. Changing these re-evaluates every member."
        >
          <Card>
            <FormLayout>
              <Select
                label="Tiers are based on"
                options={TIER_BASIS_OPTIONS}
                value={values.tierBasis}
                onChange={form.set("tierBasis")}
                error={errors.tierBasis}
                helpText={
                  spend
                    ? `Thresholds are amounts in ${data.currency}, net of refunds.`
                    : "Thresholds are points earned from orders and bonuses, net of clawbacks."
                }
              />
              <Select
                label="Qualification period"
                options={TIER_PERIOD_OPTIONS}
                value={values.tierPeriod}
                onChange={form.set("tierPeriod")}
                error={errors.tierPeriod}
              />
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="ladder"
          title="Tier ladder"
          description="Lowest tier first; each threshold must be higher than the one before. Multipliers apply to points earned on orders."
        >
          <BlockStack gap="400">
            {values.rows.length === 0 ? (
              <Card>
                <EmptyState
                  heading="No tiers yet"
                  action={{ content: "Add tier", onAction: add }}
                  image="https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png"
                >
                  <p>Everyone is a member; tiers add levels such as Silver and Gold.</p>
                </EmptyState>
              </Card>
            ) : null}
            {values.rows.map((row, index) => {
              const label = row.name || `Tier ${index + 1}`;
              return (
                <Card key={row.key}>
                  <BlockStack gap="300">
                    <InlineStack align="space-between" blockAlign="center">
                      <Text as="h2" variant="headingSm">
                        {index + 1}. {label}
                      </Text>
                      <ButtonGroup>
                        <Button
                          size="slim"
                          disabled={index === 0}
                          accessibilityLabel={`Move up: ${label}`}
                          onClick={() => move(index, -1)}
                        >
                          Move up
                        </Button>
                        <Button
                          size="slim"
                          disabled={index === values.rows.length - 1}
                          accessibilityLabel={`Move down: ${label}`}
                          onClick={() => move(index, 1)}
                        >
                          Move down
                        </Button>
                        <Button
                          size="slim"
                          tone="critical"
                          accessibilityLabel={`Remove: ${label}`}
                          onClick={() => (row.members > 0 ? setConfirmRemove(row) : remove(row))}
                        >
                          Remove
                        </Button>
                      </ButtonGroup>
                    </InlineStack>
                    <FormLayout>
                      <FormLayout.Group>
                        <TextField
                          label="Tier name"
                          autoComplete="off"
                          value={row.name}
                          onChange={(name) => updateRow(index, { name })}
                          error={errors[`tiers.${index}.name`]}
                        />
                        <TextField
                          label={spend ? `Spend to reach (${data.currency})` : "Points to reach"}
                          autoComplete="off"
                          inputMode={spend ? "decimal" : "numeric"}
                          value={row.threshold}
                          onChange={(threshold) => updateRow(index, { threshold })}
                          error={errors[`tiers.${index}.threshold`]}
                        />
                        <TextField
                          label="Points multiplier"
                          autoComplete="off"
                          inputMode="decimal"
                          suffix="×"
                          value={row.multiplier}
                          onChange={(multiplier) => updateRow(index, { multiplier })}
                          error={errors[`tiers.${index}.multiplier`]}
                        />
                      </FormLayout.Group>
                      <TextField
                        label="Perks"
                        helpText="Shown to members in the storefront widget."
                        autoComplete="off"
                        multiline={2}
                        value={row.perks}
                        onChange={(perks) => updateRow(index, { perks })}
                        error={errors[`tiers.${index}.perks`]}
                      />
                      <Text as="p" tone="subdued">
                        {row.id
                          ? `${formatNumber(row.members)} ${row.members === 1 ? "member" : "members"} in this tier`
                          : "New tier: not saved yet"}
                        {row.rewards.length
                          ? `; rewards for this tier: ${row.rewards.join(", ")}`
                          : ""}
                      </Text>
                    </FormLayout>
                  </BlockStack>
                </Card>
              );
            })}
            {values.rows.length > 0 ? (
              <InlineStack>
                <Button onClick={add} disabled={values.rows.length >= MAX_TIERS}>
                  Add tier
                </Button>
              </InlineStack>
            ) : null}
          </BlockStack>
        </Layout.AnnotatedSection>
      </Layout>
      <Modal
        open={confirmRemove !== null}
        onClose={() => setConfirmRemove(null)}
        title={`Remove ${confirmRemove?.name ?? "tier"}?`}
        primaryAction={{
          content: "Remove tier",
          destructive: true,
          onAction: () => {
            if (confirmRemove) remove(confirmRemove);
            setConfirmRemove(null);
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirmRemove(null) }]}
      >
        <Modal.Section>
          <Text as="p">
            {confirmRemove?.members} members are in this tier. When you save, they are re-evaluated
            and move to the highest tier they still qualify for (or none). Their points do not
            change.
          </Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}
