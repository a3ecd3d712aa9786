/** @jsxImportSource preact */
// The pragma, not only this folder's tsconfig: the repository's root type-check (which also
// compiles the tests that render these components) is set up for the admin app's React.
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "./api";
import type { Client, Issued, Member, Reward } from "./api";
import { referralUrl } from "./api";
import type { Host } from "./host";
import { textFor } from "./text";
import type { Text } from "./text";

type Load =
  { kind: "loading" } | { kind: "failed"; message: string } | { kind: "ready"; member: Member };

export interface LoyaltyPageProps {
  host: Host;
  /** null when the extension was built without the app's URL (docs/customer-account.md). */
  client: Client | null;
  storefront: () => Promise<string | null>;
}

/** The customer-account.page.render target: the member's whole loyalty program on one page. */
export function LoyaltyPage({ host, client, storefront }: LoyaltyPageProps) {
  const { t } = textFor(host);
  const [load, setLoad] = useState<Load>(() =>
    client ? { kind: "loading" } : { kind: "failed", message: t("errors.unavailable") },
  );
  const [storefrontUrl, setStorefrontUrl] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!client) return;
    let live = true;
    client.member().then(
      (member) => live && setLoad({ kind: "ready", member }),
      (error: unknown) => live && setLoad({ kind: "failed", message: messageOf(error, t) }),
    );
    return () => {
      live = false;
    };
    // `t` is stable for a given host; the request is made again only on "Try again".
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, attempt]);

  useEffect(() => {
    let live = true;
    storefront().then((url) => live && setStorefrontUrl(url));
    return () => {
      live = false;
    };
  }, [storefront]);

  if (load.kind === "ready") {
    return (
      <MemberPage host={host} client={client} member={load.member} storefrontUrl={storefrontUrl} />
    );
  }
  return (
    <s-page heading={t("page.title")}>
      {load.kind === "loading" ? (
        <s-section accessibilityLabel={t("page.loading")}>
          <s-spinner accessibilityLabel={t("page.loading")} />
        </s-section>
      ) : (
        <s-banner tone="critical" heading={t("errors.heading")}>
          <s-paragraph>{load.message}</s-paragraph>
          {client && (
            <s-button
              onClick={() => {
                setLoad({ kind: "loading" });
                setAttempt((n) => n + 1);
              }}
            >
              {t("errors.retry")}
            </s-button>
          )}
        </s-banner>
      )}
    </s-page>
  );
}

export interface MemberPageProps {
  host: Host;
  client: Client | null;
  member: Member;
  storefrontUrl: string | null;
}

/** What a loaded member sees; rendered on its own by the tests. */
export function MemberPage({ host, client, member: loaded, storefrontUrl }: MemberPageProps) {
  const [member, setMember] = useState(loaded);
  const text = textFor(host, member.pointsName);
  const { t } = text;
  return (
    <s-page heading={t("page.title")}>
      {!member.enabled && (
        <s-banner tone="info" heading={t("page.paused")}>
          <s-paragraph>{t("page.paused_detail")}</s-paragraph>
        </s-banner>
      )}
      <Balance text={text} member={member} />
      <TierProgress text={text} member={member} />
      <Rewards
        text={text}
        client={client}
        member={member}
        onBalance={(points) => setMember((m) => ({ ...m, points }))}
      />
      <History text={text} member={member} />
      <Referral text={text} member={member} storefrontUrl={storefrontUrl} />
      <Birthday
        text={text}
        client={client}
        member={member}
        onSaved={(birthday) => setMember((m) => ({ ...m, birthday }))}
      />
      <WaysToEarn text={text} member={member} />
    </s-page>
  );
}

function Balance({ text, member }: { text: Text; member: Member }) {
  const { t, points } = text;
  return (
    <s-section heading={t("balance.heading")}>
      <s-stack gap="small-200">
        <s-text type="strong">{t("balance.points", { points: points(member.points) })}</s-text>
        {member.pendingPoints > 0 && (
          <s-text>{t("balance.pending", { points: points(member.pendingPoints) })}</s-text>
        )}
        {member.nextRelease && (
          <s-text color="subdued">
            {t("balance.release", {
              points: points(member.nextRelease.points),
              date: text.date(member.nextRelease.date),
            })}
          </s-text>
        )}
        {member.expiresAt && (
          <s-text color="subdued">
            {t("balance.expires", { date: text.date(member.expiresAt) })}
          </s-text>
        )}
      </s-stack>
    </s-section>
  );
}

function TierProgress({ text, member }: { text: Text; member: Member }) {
  const { t } = text;
  const { tier, nextTier: next } = member;
  if (!tier && !next) return null;
  const multiplier = Number(tier?.multiplier ?? 1);
  return (
    <s-section heading={t("tier.heading")}>
      <s-stack gap="small-200">
        <s-text type="strong">
          {tier ? t("tier.member", { tier: tier.name }) : t("tier.none")}
        </s-text>
        {multiplier > 1 && (
          <s-text>{t("tier.multiplier", { multiplier: text.number(multiplier) })}</s-text>
        )}
        {tier?.perks && <s-paragraph>{tier.perks}</s-paragraph>}
        {next ? (
          <>
            <s-text>
              {t("tier.next", {
                // Spend-based tiers count money: "$397.00 to reach Gold".
                amount:
                  next.currency && next.remainingAmount
                    ? text.money(next.remainingAmount, next.currency)
                    : text.points(next.remaining),
                tier: next.name,
              })}
            </s-text>
            <s-progress
              accessibilityLabel={t("tier.progress", { tier: next.name })}
              max={Math.max(next.threshold, 1)}
              value={Math.max(next.threshold - next.remaining, 0)}
            />
          </>
        ) : (
          <s-text>{t("tier.top")}</s-text>
        )}
      </s-stack>
    </s-section>
  );
}

type Redemption =
  | { kind: "working"; requestId: string; message?: string }
  | { kind: "failed"; requestId: string; message: string; sameIntent: boolean }
  | { kind: "issued"; issued: Pick<Issued, "code" | "applyUrl" | "expiresAt" | "message"> };

function Rewards({
  text,
  client,
  member,
  onBalance,
}: {
  text: Text;
  client: Client | null;
  member: Member;
  onBalance: (points: number) => void;
}) {
  const { t } = text;
  const [redemptions, setRedemptions] = useState<Record<string, Redemption>>(() =>
    Object.fromEntries(
      Object.entries(member.codes).map(([id, issued]) => [id, { kind: "issued", issued }]),
    ),
  );
  const put = (id: string, r: Redemption) => setRedemptions((all) => ({ ...all, [id]: r }));

  async function redeem(reward: Reward) {
    if (!client) return;
    const previous = redemptions[reward.id];
    // "Try again" after an answer that never came repeats the same intent; after a refusal
    // (not enough points, reward gone) the next press is a new one.
    const requestId =
      previous?.kind === "failed" && previous.sameIntent
        ? previous.requestId
        : client.newRequestId();
    put(reward.id, { kind: "working", requestId });
    try {
      const issued = await client.redeem(reward.id, requestId, (message) =>
        put(reward.id, { kind: "working", requestId, message }),
      );
      put(reward.id, { kind: "issued", issued });
      onBalance(issued.points);
    } catch (error) {
      put(reward.id, {
        kind: "failed",
        requestId,
        message: messageOf(error, t),
        sameIntent:
          !(error instanceof ApiError) ||
          error.status === 0 ||
          error.status >= 500 ||
          error.status === 202,
      });
    }
  }

  return (
    <s-section heading={t("rewards.heading")}>
      {member.rewards.length === 0 ? (
        <s-paragraph>{t("rewards.none")}</s-paragraph>
      ) : (
        <s-stack gap="base">
          {member.rewards.map((reward) => (
            <RewardRow
              key={reward.id}
              text={text}
              reward={reward}
              member={member}
              redemption={redemptions[reward.id]}
              canRedeem={!!client && member.enabled}
              onRedeem={() => void redeem(reward)}
            />
          ))}
        </s-stack>
      )}
    </s-section>
  );
}

function RewardRow({
  text,
  reward,
  member,
  redemption,
  canRedeem,
  onRedeem,
}: {
  text: Text;
  reward: Reward;
  member: Member;
  redemption: Redemption | undefined;
  canRedeem: boolean;
  onRedeem: () => void;
}) {
  const { t, points } = text;
  const cost = points(reward.cost);
  const redeemButton = (label: string) => (
    <s-button
      accessibilityLabel={t("rewards.redeem_label", { reward: reward.name, points: cost })}
      loading={redemption?.kind === "working"}
      onClick={onRedeem}
    >
      {label}
    </s-button>
  );
  let status;
  if (redemption?.kind === "issued") {
    status = <IssuedCode text={text} reward={reward} issued={redemption.issued} />;
  } else if (reward.requiresTier) {
    status = (
      <s-text color="subdued">{t("rewards.tier_only", { tier: reward.requiresTier })}</s-text>
    );
  } else if (reward.cost > member.points) {
    status = (
      <s-text color="subdued">
        {t("rewards.more_needed", { points: points(reward.cost - member.points) })}
      </s-text>
    );
  } else if (redemption?.kind === "failed") {
    status = (
      <s-stack gap="small-200">
        <s-banner tone="critical">
          <s-paragraph>{redemption.message}</s-paragraph>
        </s-banner>
        {canRedeem && redeemButton(t("errors.retry"))}
      </s-stack>
    );
  } else if (canRedeem && reward.affordable !== false) {
    status = (
      <s-stack gap="small-200">
        {redeemButton(t("rewards.redeem"))}
        {redemption?.kind === "working" && redemption.message && (
          <s-text color="subdued">{redemption.message}</s-text>
        )}
      </s-stack>
    );
  }
  return (
    <s-stack gap="small-200" padding="small-200">
      <s-heading>{reward.name}</s-heading>
      <s-text>{cost}</s-text>
      {status}
    </s-stack>
  );
}

function IssuedCode({
  text,
  reward,
  issued,
}: {
  text: Text;
  reward: Reward;
  issued: Pick<Issued, "code" | "applyUrl" | "expiresAt" | "message">;
}) {
  const { t } = text;
  // Store credit has no code to type: the backend says where the credit went.
  if (issued.message) {
    return (
      <s-banner tone="success">
        <s-paragraph>{issued.message}</s-paragraph>
      </s-banner>
    );
  }
  const copyId = `loyalty-code-${reward.id}`;
  return (
    <s-banner tone="success" heading={t("rewards.code_heading", { reward: reward.name })}>
      <s-stack gap="small-200">
        <s-text type="strong">{t("rewards.code", { code: issued.code })}</s-text>
        {issued.expiresAt && (
          <s-text>{t("rewards.use_by", { date: text.date(issued.expiresAt) })}</s-text>
        )}
        <s-stack direction="inline" gap="small-200">
          <s-button
            command="--copy"
            commandFor={copyId}
            accessibilityLabel={t("rewards.copy_label", { code: issued.code })}
          >
            {t("rewards.copy")}
          </s-button>
          <s-clipboard-item id={copyId} text={issued.code} />
          {issued.applyUrl && (
            <s-link href={issued.applyUrl} target="_blank">
              {t("rewards.apply")}
            </s-link>
          )}
        </s-stack>
      </s-stack>
    </s-banner>
  );
}

function History({ text, member }: { text: Text; member: Member }) {
  const { t } = text;
  return (
    <s-section heading={t("history.heading")}>
      {member.history.length === 0 ? (
        <s-paragraph>{t("history.empty")}</s-paragraph>
      ) : (
        <s-unordered-list>
          {member.history.map((entry, i) => (
            <s-list-item key={`${entry.date}-${i}`}>
              {t("history.entry", {
                description: entry.description,
                points: text.signed(entry.points),
                date: text.date(entry.date),
              })}
            </s-list-item>
          ))}
        </s-unordered-list>
      )}
    </s-section>
  );
}

function Referral({
  text,
  member,
  storefrontUrl,
}: {
  text: Text;
  member: Member;
  storefrontUrl: string | null;
}) {
  const { t, points } = text;
  const referral = member.referral;
  if (!referral) return null;
  const link = storefrontUrl && referralUrl(storefrontUrl, referral.path);
  return (
    <s-section heading={t("referral.heading")}>
      <s-stack gap="small-200">
        <s-paragraph>
          {t("referral.intro", { offer: referral.offer, points: points(referral.points) })}
        </s-paragraph>
        {link && (
          <>
            <s-text type="strong">{t("referral.link_label")}</s-text>
            <s-link href={link} target="_blank">
              {link}
            </s-link>
            <s-button command="--copy" commandFor="loyalty-referral-link">
              {t("referral.copy")}
            </s-button>
            <s-clipboard-item id="loyalty-referral-link" text={link} />
          </>
        )}
        {referral.rewarded + referral.pending > 0 && (
          <s-text color="subdued">
            {t("referral.stats", {
              rewarded: text.number(referral.rewarded),
              pending: text.number(referral.pending),
            })}
          </s-text>
        )}
      </s-stack>
    </s-section>
  );
}

function Birthday({
  text,
  client,
  member,
  onSaved,
}: {
  text: Text;
  client: Client | null;
  member: Member;
  onSaved: (birthday: Member["birthday"]) => void;
}) {
  const { t, points } = text;
  const [month, setMonth] = useState("");
  const [day, setDay] = useState("");
  const [state, setState] = useState<{ saving: boolean; error?: string }>({ saving: false });
  const birthday = member.birthday;
  if (!birthday) return null;

  if (birthday.date) {
    return (
      <s-section heading={t("birthday.heading")}>
        <s-stack gap="small-200">
          <s-text>
            {t("birthday.saved", { date: text.monthDay(birthday.date.month, birthday.date.day) })}
          </s-text>
          {birthday.next && (
            <s-text color="subdued">
              {t("birthday.next", {
                points: points(birthday.points),
                date: text.day(birthday.next),
              })}
            </s-text>
          )}
        </s-stack>
      </s-section>
    );
  }

  async function save() {
    const m = Number(month);
    const d = Number(day);
    // Day 29 of February is allowed: the app pays leap-day birthdays on the 28th otherwise.
    const valid =
      Number.isInteger(m) &&
      Number.isInteger(d) &&
      m >= 1 &&
      m <= 12 &&
      d >= 1 &&
      d <= new Date(Date.UTC(2000, m, 0)).getUTCDate();
    if (!valid) return setState({ saving: false, error: t("birthday.invalid") });
    if (!client) return;
    setState({ saving: true });
    try {
      onSaved(await client.setBirthday(m, d));
    } catch (error) {
      setState({ saving: false, error: messageOf(error, t) });
    }
  }

  return (
    <s-section heading={t("birthday.heading")}>
      <s-form onSubmit={() => void save()}>
        <s-stack gap="base">
          <s-paragraph>{t("birthday.intro", { points: points(birthday.points) })}</s-paragraph>
          {state.error && (
            <s-banner tone="critical">
              <s-paragraph>{state.error}</s-paragraph>
            </s-banner>
          )}
          <s-select
            label={t("birthday.month")}
            name="month"
            value={month}
            onChange={(event) => setMonth(fieldValue(event))}
          >
            {Array.from({ length: 12 }, (_, i) => (
              <s-option key={i + 1} value={String(i + 1)}>
                {text.monthName(i + 1)}
              </s-option>
            ))}
          </s-select>
          <s-number-field
            label={t("birthday.day")}
            name="day"
            min={1}
            max={31}
            step={1}
            value={day}
            onChange={(event) => setDay(fieldValue(event))}
          />
          <s-button type="submit" variant="primary" loading={state.saving} disabled={!client}>
            {t("birthday.save")}
          </s-button>
        </s-stack>
      </s-form>
    </s-section>
  );
}

function WaysToEarn({ text, member }: { text: Text; member: Member }) {
  const ways = member.program.waysToEarn;
  if (ways.length === 0) return null;
  return (
    <s-section heading={text.t("earn.heading")}>
      <s-unordered-list>
        {ways.map((way) => (
          <s-list-item key={way.title}>
            {way.points
              ? text.t("earn.way_points", { title: way.title, points: text.points(way.points) })
              : way.title}
            {way.description ? ` — ${way.description}` : ""}
          </s-list-item>
        ))}
      </s-unordered-list>
    </s-section>
  );
}

function fieldValue(event: Event): string {
  const target = event.currentTarget as { value?: unknown } | null;
  return typeof target?.value === "string" ? target.value : String(target?.value ?? "");
}

export function messageOf(error: unknown, t: Text["t"]): string {
  return error instanceof ApiError ? error.message : t("errors.generic");
}
