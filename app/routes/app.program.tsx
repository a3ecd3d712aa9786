import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Card,
  Checkbox,
  ChoiceList,
  FormLayout,
  InlineStack,
  Layout,
  Modal,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import {
  loadProgram,
  publishStorefrontProgram,
  saveProgram,
  settingsOf,
} from "../admin/program.server";
import { AdminSaveBar } from "../components/AdminSaveBar";
import { toFormData, useFormState } from "../components/form-state";
import { formatCount } from "../components/format";
import { useToast } from "../components/toast";
import type { FieldErrors } from "../domain/forms";
import { formValues } from "../domain/forms";
import { SOCIAL_NETWORKS } from "../domain/social";
import { canWelcomeFriends } from "../domain/rewards";
import {
  followField,
  parseProgramSettings,
  POINTS_NAME_LANGUAGES,
  pointsNameField,
  ROUNDING_OPTIONS,
} from "../domain/program-settings";
import prisma from "../db.server";
import { appAdmin, authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const program = await loadProgram(session.shop);
  const rewards = await prisma.reward.findMany({
    where: { shop: session.shop },
    select: { id: true, name: true, enabled: true, type: true },
    orderBy: { pointsCost: "asc" },
  });
  return {
    settings: settingsOf(program),
    // The saved offer is listed even when it can no longer be one, so the page shows what is
    // saved (and the save refuses it) rather than silently naming nothing.
    referralRewards: rewards
      .filter((r) => canWelcomeFriends(r.type) || r.id === program.referralRewardId)
      .map(({ id, name, enabled, type }) => ({
        id,
        name,
        enabled,
        offerable: canWelcomeFriends(type),
      })),
    currency: program.currency,
    storefrontSyncError: program.storefrontSyncError,
    storefrontSyncedAt: program.storefrontSyncedAt?.toISOString() ?? null,
  };
};

export const meta: MetaFunction = () => [{ title: "Program settings · Loyalty" }];

type ActionResult =
  | { ok: true; intent: "save" | "publish"; warning: string | null }
  | { ok: false; errors: FieldErrors; confirmExpiry?: { members: number; points: number } };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { session } = await authenticate.admin(request);
  const admin = await appAdmin(session.shop);
  const input = formValues(await request.formData());
  const program = await loadProgram(session.shop);

  if (input.intent === "publish") {
    const warning = await publishStorefrontProgram(admin, program);
    return { ok: true, intent: "publish", warning };
  }

  const parsed = parseProgramSettings(input, program.currency);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const confirmed = /^\d+$/.test(input.confirmExpiring ?? "")
    ? Number(input.confirmExpiring)
    : null;
  const result = await saveProgram({
    shop: session.shop,
    admin,
    settings: parsed.data,
    confirmedExpiring: confirmed,
  });
  if (!result.ok) return result;
  return { ok: true, intent: "save", warning: result.publishError };
};

interface FormValues extends Record<string, unknown> {
  enabled: boolean;
  earnPoints: string;
  earnPerAmount: string;
  rounding: string;
  awardTestOrders: boolean;
  signupBonus: string;
  pendingDays: string;
  expiryPolicy: "NEVER" | "INACTIVITY";
  expiryMonths: string;
  pointsNameOne: string;
  pointsNameOther: string;
  allowNegativeBalance: boolean;
  returnPointsOnExpiredCodes: boolean;
  redemptionsPerHour: string;
  maxPointsPerOrder: string;
  flowTriggers: boolean;
  expiryNoticeDays: string;
  customerSync: boolean;
  tierTags: boolean;
  referrals: boolean;
  referralPoints: string;
  referralRewardId: string;
  referralPendingDays: string;
  referralsPerMonth: string;
  birthdayPoints: string;
  npsSurvey: boolean;
  npsPoints: string;
  npsIntervalDays: string;
  /** follow_{network}_{url|points}, one pair per network. */
  [followField: `follow_${string}`]: string;
  /** pointsName_{locale}_{one|other}, one pair per storefront language. */
  [languageName: `pointsName_${string}`]: string;
}

export default function ProgramSettingsPage() {
  const { settings, currency, storefrontSyncError, referralRewards } =
    useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const toast = useToast();
  const form = useFormState<FormValues>({
    enabled: settings.enabled,
    earnPoints: String(settings.earnPoints),
    earnPerAmount: settings.earnPerAmount,
    rounding: settings.rounding,
    awardTestOrders: settings.awardTestOrders,
    signupBonus: String(settings.signupBonus),
    pendingDays: String(settings.pendingDays),
    expiryPolicy: settings.expiryMonths ? "INACTIVITY" : "NEVER",
    expiryMonths: settings.expiryMonths ? String(settings.expiryMonths) : "12",
    pointsNameOne: settings.pointsNameOne,
    pointsNameOther: settings.pointsNameOther,
    allowNegativeBalance: settings.allowNegativeBalance,
    returnPointsOnExpiredCodes: settings.returnPointsOnExpiredCodes,
    redemptionsPerHour: String(settings.redemptionsPerHour),
    maxPointsPerOrder: String(settings.maxPointsPerOrder),
    flowTriggers: settings.flowTriggers,
    expiryNoticeDays: String(settings.expiryNoticeDays),
    customerSync: settings.customerSync,
    tierTags: settings.tierTags,
    referrals: settings.referrals,
    referralPoints: String(settings.referralPoints),
    referralRewardId: settings.referralRewardId ?? "",
    referralPendingDays: String(settings.referralPendingDays),
    referralsPerMonth: String(settings.referralsPerMonth),
    birthdayPoints: String(settings.birthdayPoints),
    npsSurvey: settings.npsSurvey,
    npsPoints: String(settings.npsPoints),
    npsIntervalDays: String(settings.npsIntervalDays),
    ...Object.fromEntries(
      SOCIAL_NETWORKS.flatMap(({ id }) => {
        const follow = settings.socialFollows.find((f) => f.network === id);
        return [
          [followField(id, "url"), follow?.url ?? ""],
          [followField(id, "points"), follow ? String(follow.points) : "50"],
        ];
      }),
    ),
    ...Object.fromEntries(
      POINTS_NAME_LANGUAGES.flatMap(({ locale }) => {
        const own = settings.pointsNames[locale];
        return [
          [pointsNameField(locale, "one"), own && own.one !== own.other ? own.one : ""],
          [pointsNameField(locale, "other"), own?.other ?? ""],
        ];
      }),
    ),
  });
  const { values, set } = form;
  const saving = fetcher.state !== "idle" && fetcher.formData?.get("intent") !== "publish";
  const result = fetcher.data;
  // A request for confirmation is answered by the dialog, not as a field error beside it.
  const errors: FieldErrors = result && !result.ok && !result.confirmExpiry ? result.errors : {};
  const [confirm, setConfirm] = useState<{ members: number; points: number } | null>(null);

  useEffect(() => {
    if (fetcher.state !== "idle" || !result) return;
    if (result.ok) {
      toast(result.intent === "publish" ? "Storefront updated" : "Program saved");
    } else if (result.confirmExpiry) {
      setConfirm(result.confirmExpiry);
    }
  }, [fetcher.state, result, toast]);

  const save = (extra: Record<string, string> = {}) =>
    fetcher.submit(toFormData(values, { intent: "save", ...extra }), { method: "post" });
  // The loader revalidates after every save, so the stored outcome of the last publish is current.
  const syncProblem = storefrontSyncError;

  return (
    <Page
      title="Program settings"
      backAction={{ content: "Dashboard", url: "/app" }}
      primaryAction={{
        content: "Save program settings",
        onAction: () => save(),
        disabled: !form.dirty,
        loading: saving,
      }}
    >
      <AdminSaveBar
        id="program-save-bar"
        open={form.dirty}
        saving={saving}
        onSave={() => save()}
        onDiscard={form.reset}
      />
      <Layout>
        {syncProblem ? (
          <Layout.Section>
            <Banner
              tone="warning"
              title="Your settings are saved, but the storefront still shows the old ones"
              action={{
                content: "Update storefront",
                loading: fetcher.state !== "idle" && fetcher.formData?.get("intent") === "publish",
                onAction: () => fetcher.submit({ intent: "publish" }, { method: "post" }),
              }}
            >
              <p>Shopify did not accept the update: {syncProblem}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {result && !result.ok && !result.confirmExpiry ? (
          <Layout.Section>
            <Banner tone="critical" title="Nothing was saved">
              <p>Fix the highlighted fields and save again.</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.AnnotatedSection
          id="status"
          title="Program status"
          description="When the program is off, orders earn nothing (they are recorded as skipped) and the storefront widget is hidden. Balances are kept."
        >
          <Card>
            <BlockStack gap="300">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingSm">
                  Status
                </Text>
                <Badge tone={settings.enabled ? "success" : undefined}>
                  {settings.enabled ? "On" : "Off"}
                </Badge>
              </InlineStack>
              <Checkbox
                label="Program is on"
                checked={values.enabled}
                onChange={set("enabled")}
                error={errors.enabled}
              />
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="earning"
          title="Earning"
          description="Points are earned on the order subtotal after discounts, without shipping and without tax. Changes apply to orders paid from now on; points already earned never change."
        >
          <Card>
            <FormLayout>
              <FormLayout.Group>
                <TextField
                  label="Points earned"
                  type="number"
                  min={1}
                  autoComplete="off"
                  value={values.earnPoints}
                  onChange={set("earnPoints")}
                  error={errors.earnPoints}
                />
                <TextField
                  label={`For every (${currency})`}
                  autoComplete="off"
                  inputMode="decimal"
                  value={values.earnPerAmount}
                  onChange={set("earnPerAmount")}
                  error={errors.earnPerAmount}
                  suffix={currency}
                />
              </FormLayout.Group>
              <Select
                label="Rounding"
                options={ROUNDING_OPTIONS}
                value={values.rounding}
                onChange={set("rounding")}
                error={errors.rounding}
                helpText="Applied once per order, after any tier multiplier."
              />
              <Checkbox
                label="Award points on test orders"
                helpText="Leave off in production; test orders are recorded as skipped."
                checked={values.awardTestOrders}
                onChange={set("awardTestOrders")}
              />
              <TextField
                label="Pending period (days)"
                type="number"
                min={0}
                autoComplete="off"
                value={values.pendingDays}
                onChange={set("pendingDays")}
                error={errors.pendingDays}
                helpText="Points become spendable this many days after payment, so returns can be taken into account. 0 = immediately."
              />
              <TextField
                label="Signup bonus (points)"
                type="number"
                min={0}
                autoComplete="off"
                value={values.signupBonus}
                onChange={set("signupBonus")}
                error={errors.signupBonus}
                helpText="Given once when a customer account is created. 0 = no bonus."
              />
              <TextField
                label="Birthday points"
                type="number"
                min={0}
                autoComplete="off"
                value={values.birthdayPoints}
                onChange={set("birthdayPoints")}
                error={errors.birthdayPoints}
                helpText="Given on the birthday a member enters in the storefront widget, once a year, in your shop's time zone; not within 30 days of a change of date. 0 = off."
              />
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="expiry"
          title="Expiry"
          description="Expiring balances after a period without activity keeps the liability in check. Activity is earning, redeeming, a manual adjustment or an import."
        >
          <Card>
            <FormLayout>
              <ChoiceList
                title="When points expire"
                choices={[
                  { label: "Never", value: "NEVER" },
                  { label: "After a period without activity", value: "INACTIVITY" },
                ]}
                selected={[values.expiryPolicy]}
                onChange={(selected) =>
                  set("expiryPolicy")((selected[0] as FormValues["expiryPolicy"]) ?? "NEVER")
                }
              />
              {values.expiryPolicy === "INACTIVITY" ? (
                <TextField
                  label="Months without activity"
                  type="number"
                  min={1}
                  max={120}
                  autoComplete="off"
                  value={values.expiryMonths}
                  onChange={set("expiryMonths")}
                  error={errors.expiryMonths}
                />
              ) : null}
              <Checkbox
                label="Return points when a reward code expires unused"
                checked={values.returnPointsOnExpiredCodes}
                onChange={set("returnPointsOnExpiredCodes")}
              />
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="naming"
          title="Points name"
          description="What shoppers see in the storefront widget, e.g. “stars”."
        >
          <Card>
            <FormLayout>
              <FormLayout.Group>
                <TextField
                  label="Singular"
                  autoComplete="off"
                  value={values.pointsNameOne}
                  onChange={set("pointsNameOne")}
                  error={errors.pointsNameOne}
                />
                <TextField
                  label="Plural"
                  autoComplete="off"
                  value={values.pointsNameOther}
                  onChange={set("pointsNameOther")}
                  error={errors.pointsNameOther}
                />
              </FormLayout.Group>
              <Text as="h3" variant="headingSm">
                By storefront language
              </Text>
              <Text as="p" tone="subdued">
                Leave a language blank to use the name above. While that is still “point” /
                “points”, each language shows its own word (German “Punkte”, Japanese “ポイント”).
              </Text>
              {POINTS_NAME_LANGUAGES.map(({ locale, label }) => (
                <FormLayout.Group key={locale} condensed>
                  <TextField
                    label={`${label} singular`}
                    autoComplete="off"
                    value={values[pointsNameField(locale, "one")]}
                    onChange={set(pointsNameField(locale, "one"))}
                    error={errors[pointsNameField(locale, "one")]}
                  />
                  <TextField
                    label={`${label} plural`}
                    autoComplete="off"
                    value={values[pointsNameField(locale, "other")]}
                    onChange={set(pointsNameField(locale, "other"))}
                    error={errors[pointsNameField(locale, "other")]}
                  />
                </FormLayout.Group>
              ))}
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="safeguards"
          title="Safeguards"
          description="Limits that protect the program from mistakes and abuse."
        >
          <Card>
            <FormLayout>
              <TextField
                label="Redemptions per member per hour"
                type="number"
                min={1}
                max={100}
                autoComplete="off"
                value={values.redemptionsPerHour}
                onChange={set("redemptionsPerHour")}
                error={errors.redemptionsPerHour}
              />
              <TextField
                label="Most points one order may earn without review"
                type="number"
                min={1}
                autoComplete="off"
                helpText="An order that would earn more (a mistyped earn rate, a bulk or test order) waits under Explain an order → Held for review until you approve it."
                value={values.maxPointsPerOrder}
                onChange={set("maxPointsPerOrder")}
                error={errors.maxPointsPerOrder}
              />
              <Checkbox
                label="Allow negative balances"
                helpText="When off, refunds and adjustments never take a balance below zero; the difference is recorded as a shortfall."
                checked={values.allowNegativeBalance}
                onChange={set("allowNegativeBalance")}
              />
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="referrals"
          title="Refer a friend"
          description="Members share a link; a friend gets a single-use welcome code, and the member earns points when the friend's first order is paid."
        >
          <Card>
            <FormLayout>
              <Checkbox
                label="Members can refer friends"
                helpText="Signed-in members see their link in the storefront widget. The Referrals page lists every invitation."
                checked={values.referrals}
                onChange={set("referrals")}
              />
              <Select
                label="What friends get"
                helpText="A single-use code with this reward's terms (its points cost is ignored): an amount off, a percentage off or free shipping. A reward switched off for members still works here."
                options={[
                  { label: "Choose a reward", value: "" },
                  ...referralRewards.map((r) => ({
                    label: !r.offerable
                      ? `${r.name} (not a code: choose another)`
                      : r.enabled
                        ? r.name
                        : `${r.name} (off for members)`,
                    value: r.id,
                  })),
                ]}
                disabled={!values.referrals}
                value={values.referralRewardId}
                onChange={set("referralRewardId")}
                error={errors.referralRewardId}
              />
              <FormLayout.Group>
                <TextField
                  label="Points for the member"
                  type="number"
                  min={1}
                  autoComplete="off"
                  disabled={!values.referrals}
                  value={values.referralPoints}
                  onChange={set("referralPoints")}
                  error={errors.referralPoints}
                />
                <TextField
                  label="Days the points stay pending"
                  helpText="A cancellation or full refund of the friend's order in this time takes them back."
                  type="number"
                  min={0}
                  max={365}
                  autoComplete="off"
                  disabled={!values.referrals}
                  value={values.referralPendingDays}
                  onChange={set("referralPendingDays")}
                  error={errors.referralPendingDays}
                />
                <TextField
                  label="Referral rewards per member per 30 days"
                  type="number"
                  min={1}
                  max={1000}
                  autoComplete="off"
                  disabled={!values.referrals}
                  value={values.referralsPerMonth}
                  onChange={set("referralsPerMonth")}
                  error={errors.referralsPerMonth}
                />
              </FormLayout.Group>
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="nps"
          title="Customer survey (NPS)"
          description="“How likely are you to recommend us?” 0–10 and a comment, asked in the storefront widget. The dashboard shows your Net Promoter Score and its trend."
        >
          <Card>
            <FormLayout>
              <Checkbox
                label="Ask members the survey in the widget"
                helpText="Signed-in members see it in the rewards panel until they answer, then again after the interval."
                checked={values.npsSurvey}
                onChange={set("npsSurvey")}
              />
              <FormLayout.Group>
                <TextField
                  label="Points for an answer"
                  helpText="0 = no points. Given at most once per interval."
                  type="number"
                  min={0}
                  autoComplete="off"
                  disabled={!values.npsSurvey}
                  value={values.npsPoints}
                  onChange={set("npsPoints")}
                  error={errors.npsPoints}
                />
                <TextField
                  label="Days before asking again"
                  type="number"
                  min={7}
                  max={365}
                  autoComplete="off"
                  disabled={!values.npsSurvey}
                  value={values.npsIntervalDays}
                  onChange={set("npsIntervalDays")}
                  error={errors.npsIntervalDays}
                />
              </FormLayout.Group>
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="social"
          title="Social follows"
          description="Points for opening your page on a network from the storefront widget, once per network. Shopify and the networks cannot tell the app whether the shopper then follows you: the points are for the click, and the widget says so."
        >
          <Card>
            <FormLayout>
              {SOCIAL_NETWORKS.map(({ id, label }) => (
                <FormLayout.Group key={id} condensed>
                  <TextField
                    label={`${label} page`}
                    placeholder={`https://${id === "x" ? "x" : id}.com/yourshop`}
                    type="url"
                    autoComplete="off"
                    value={values[followField(id, "url")]}
                    onChange={set(followField(id, "url"))}
                    error={errors[followField(id, "url")]}
                    helpText="Leave empty to leave this network out."
                  />
                  <TextField
                    label={`Points for ${label}`}
                    type="number"
                    min={1}
                    autoComplete="off"
                    disabled={!values[followField(id, "url")]}
                    value={values[followField(id, "points")]}
                    onChange={set(followField(id, "points"))}
                    error={errors[followField(id, "points")]}
                  />
                </FormLayout.Group>
              ))}
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="customer-data"
          title="Customer data in Shopify"
          description="What your theme, segments, discounts and Flow can read about each member."
        >
          <Card>
            <FormLayout>
              <Checkbox
                label="Keep points balance, tier and expiry date on each customer"
                helpText="App metafields on the customer (loyalty balance, tier, points expire on), updated within a minute of every change."
                checked={values.customerSync}
                onChange={set("customerSync")}
              />
              <Checkbox
                label="Tag customers with their tier"
                helpText="For example loyalty-gold; the tag moves when the member changes tier."
                checked={values.tierTags}
                onChange={set("tierTags")}
              />
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="flow"
          title="Shopify Flow"
          description="Loyalty events your workflows can start from: tier changed, points earned, points expiring soon, reward redeemed, reward available."
        >
          <Card>
            <FormLayout>
              <Checkbox
                label="Send loyalty events to Shopify Flow"
                helpText="Use them for emails (“Congrats, you reached Gold”), customer tags or Klaviyo. Events are sent within a minute."
                checked={values.flowTriggers}
                onChange={set("flowTriggers")}
              />
              <TextField
                label="Days before points expire to send “Points expiring soon”"
                type="number"
                min={1}
                max={60}
                autoComplete="off"
                disabled={!values.flowTriggers}
                value={values.expiryNoticeDays}
                onChange={set("expiryNoticeDays")}
                error={errors.expiryNoticeDays}
              />
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
      <Modal
        open={confirm !== null}
        onClose={() => setConfirm(null)}
        title="Expire inactive balances?"
        primaryAction={{
          content: "Save and expire balances",
          destructive: true,
          onAction: () => {
            if (confirm) save({ confirmExpiring: String(confirm.members) });
            setConfirm(null);
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirm(null) }]}
      >
        <Modal.Section>
          <Text as="p">
            {confirm
              ? `${formatCount(confirm.members, "member")} ${confirm.members === 1 ? "has" : "have"} had no activity for longer than ${formatCount(Number(values.expiryMonths), "month")}. With this policy ${confirm.members === 1 ? "their" : "these members'"} ${formatCount(confirm.points, "point")} expire at the next scheduled run. This cannot be undone automatically.`
              : null}
          </Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}
