import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  ButtonGroup,
  Card,
  Checkbox,
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
import { resumeReevaluation, saveTiers, tiersPage } from "../admin/tiers.server";
import { loadProgram } from "../admin/program.server";
import { AdminSaveBar } from "../components/AdminSaveBar";
import { useFormState } from "../components/form-state";
import { formatNumber } from "../components/format";
import { useRevalidateWhile } from "../components/import-status";
import { useToast } from "../components/toast";
import type { FieldErrors } from "../domain/forms";
import { formValues } from "../domain/forms";
import type { TierRowInput } from "../domain/tier-ladder";
import type { TierBasis } from "../domain/tiers";
import {
  convertThreshold,
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
  if (input.intent === "resume") return resumeReevaluation(shop, input.jobId ?? "");
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
}

interface FormValues extends Record<string, unknown> {
  tierBasis: TierBasis;
  tierPeriod: string;
  rows: Row[];
}

/** Progress from the loader, which the page reloads while the worker re-evaluates members. */
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
  const running = job.status === "RUNNING";
  const percent = job.total ? Math.min(100, Math.round((job.processed / job.total) * 100)) : 100;
  const resumeError = fetcher.data && !fetcher.data.ok ? fetcher.data.errors.form : null;

  if (!running && job.status !== "DONE") return null;
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
          {formatNumber(job.processed)} of {formatNumber(job.total)} members checked ({percent}%),{" "}
          {formatNumber(job.changed)} changed tier.
        </Text>
        {running && job.stalled ? (
          <InlineStack gap="200" blockAlign="center">
            <Button
              loading={fetcher.state !== "idle"}
              onClick={() =>
                fetcher.submit({ intent: "resume", jobId: job.id }, { method: "post" })
              }
            >
              Resume re-evaluation
            </Button>
            {resumeError ? (
              <Text as="span" tone="critical">
                {resumeError}
              </Text>
            ) : null}
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
      perkPercent: tier.perkPercent === null ? "" : String(tier.perkPercent),
      perkFreeShipping: tier.perkFreeShipping,
    })),
  });
  // Member counts change while a re-evaluation runs; they stay out of the form's values so
  // reloading them never resets the merchant's edits.
  const saved = new Map(data.tiers.map((tier) => [tier.id, tier]));
  const membersOf = (row: Row) => (row.id ? (saved.get(row.id)?.members ?? 0) : 0);
  const rewardsOf = (row: Row) => (row.id ? (saved.get(row.id)?.rewards ?? []) : []);
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
  // The thresholds' unit changes with the basis; their numbers are carried over so the ladder
  // still saves, and the help text asks the merchant to check them.
  const switchBasis = (tierBasis: string) =>
    setValues((current) => ({
      ...current,
      tierBasis: tierBasis as TierBasis,
      rows: current.rows.map((row) => ({
        ...row,
        threshold: convertThreshold(
          row.threshold,
          current.tierBasis,
          tierBasis as TierBasis,
          data.currency,
        ),
      })),
    }));
  const basisChanged = values.tierBasis !== data.tierBasis && values.rows.length > 0;
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
          perkPercent: "",
          perkFreeShipping: false,
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
          values.rows.map(
            ({ id, name, threshold, multiplier, perks, perkPercent, perkFreeShipping }) => ({
              id,
              name,
              threshold,
              multiplier,
              perks,
              perkPercent,
              perkFreeShipping,
            }),
          ),
        ),
      },
      { method: "post" },
    );
  // Saving revalidates the loader, which then holds the new job; it reloads while the job runs.
  const job = data.job;
  useRevalidateWhile(job?.status === "RUNNING");

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
        {!data.customerSync &&
        data.tiers.some((tier) => tier.perkPercent !== null || tier.perkFreeShipping) ? (
          <Layout.Section>
            <Banner tone="warning" title="Checkout perks need members' tiers on their customers">
              <p>
                Shopify checkout knows a member's tier from their customer record. Turn on "Keep
                points balance, tier and expiry date on each customer" in Program settings, or no
                member gets these perks.
              </p>
            </Banner>
          </Layout.Section>
        ) : null}
        {data.tierPerksError ? (
          <Layout.Section>
            <Banner tone="warning" title="Checkout perks are not up to date in Shopify">
              <p>{data.tierPerksError}</p>
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
                onChange={switchBasis}
                error={errors.tierBasis}
                helpText={`${
                  spend
                    ? `Thresholds are amounts in ${data.currency}, net of refunds.`
                    : "Thresholds are points earned from orders and bonuses, net of clawbacks."
                }${basisChanged ? " Check each tier's threshold in the new unit before saving." : ""}`}
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
              const members = membersOf(row);
              const rewards = rewardsOf(row);
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
                          onClick={() => (members > 0 ? setConfirmRemove(row) : remove(row))}
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
                      <FormLayout.Group>
                        <TextField
                          label="Off members' orders at checkout"
                          helpText="Applied automatically, no code. Leave empty for none."
                          autoComplete="off"
                          inputMode="numeric"
                          suffix="%"
                          value={row.perkPercent ?? ""}
                          onChange={(perkPercent) => updateRow(index, { perkPercent })}
                          error={errors[`tiers.${index}.perkPercent`]}
                        />
                        <Checkbox
                          label="Free shipping for members at checkout"
                          checked={row.perkFreeShipping ?? false}
                          onChange={(perkFreeShipping) => updateRow(index, { perkFreeShipping })}
                        />
                      </FormLayout.Group>
                      <Text as="p" tone="subdued">
                        {row.id
                          ? `${formatNumber(members)} ${members === 1 ? "member" : "members"} in this tier`
                          : "New tier: not saved yet"}
                        {rewards.length ? `; rewards for this tier: ${rewards.join(", ")}` : ""}
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
            {confirmRemove ? membersOf(confirmRemove) : 0} members are in this tier. When you save,
            they are re-evaluated and move to the highest tier they still qualify for (or none).
            Their points do not change.
          </Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}
