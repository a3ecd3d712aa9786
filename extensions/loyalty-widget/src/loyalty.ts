// Source of assets/loyalty.js. The asset is this file minified (see docs/storefront.md);
// test/extension/assets.test.ts fails when the two drift apart.

type Names = Partial<Record<Intl.LDMLPluralRule, string>>;
interface Reward {
  id: string;
  name: string;
  cost: number;
  affordable?: boolean;
  /** The tier this reward is kept for, when the shopper is below it. */
  requiresTier?: string;
}
interface Redemption {
  /** ISSUED, or PROCESSING while the code's creation is not confirmed yet (HTTP 202). */
  status?: string;
  id?: string;
  message?: string;
  code: string;
  applyUrl?: string;
  expiresAt?: string;
  points: number;
}
interface Member {
  loggedIn: boolean;
  points: number;
  pendingPoints?: number;
  /** The next pending points to become spendable, and when. */
  nextRelease?: { points: number; date: string } | null;
  tier?: { name: string; multiplier?: string | number; perks?: string } | null;
  nextTier?: {
    name: string;
    remaining: number;
    threshold?: number;
    /** Spend-based tiers: what is left to spend, in the shop's currency. */
    remainingAmount?: string;
    currency?: string;
  } | null;
  rewards?: Reward[];
  history?: { date: string; points: number; description: string }[];
  expiresAt?: string | null;
  pointsName?: Names;
  program?: {
    waysToEarn?: { title: string; points?: number; description?: string }[];
    rewards?: Reward[];
  };
  codes?: Record<string, Redemption>;
}
interface ApiError {
  code?: string;
  message?: string;
}
interface Ctx {
  r: HTMLElement;
  ds: DOMStringMap;
  t: DOMStringMap;
  lang?: string;
}
type Win = {
  lwLoaded?: boolean;
  lwPanel?: HTMLScriptElement;
  /** Set by loyalty-panel.js: renders what only the open panel shows. */
  lwShow?: (r: HTMLElement) => void;
  Shopify?: { currency?: { rate?: string } };
};
type Root = HTMLElement & { lwM?: Member };

const w = window as unknown as Win;
const d = document;
const $ = <E extends Element = HTMLElement>(s: string, el: ParentNode = d) =>
  el.querySelector<E>(s);
const $$ = (s: string, el: ParentNode = d) => el.querySelectorAll<HTMLElement>(s);
const jobs: Record<string, Promise<Member> | undefined> = {};
const ROOT = "[data-lw-root]";
const DIALOG = ROOT + " dialog";
const MEMBER = "[data-lw-member]";
const OPEN = "[data-lw=open]";
const CLOSE = "[data-lw=close]";
const JSON_TYPE = "application/json";
const EARN = "[data-lw-earn]";

const ctx = (el: Element): Ctx => {
  const r = el.closest<HTMLElement>(ROOT)!;
  return { r, ds: r.dataset, t: ($("[data-lw-t]", r) || r).dataset, lang: r.dataset.locale };
};
const fmt = (s: string | undefined, v: Record<string, string>) =>
  (s || "").replace(/\{(\w+)\}/g, (m, k: string) => v[k] ?? m);
const num = (n: number | string, c: Ctx, o?: Intl.NumberFormatOptions) =>
  (+n).toLocaleString(c.lang, o);
const day = (s: string, c: Ctx) => new Date(s).toLocaleDateString(c.lang, { dateStyle: "medium" });
// The unit comes from the program (merchant's own term) or, failing that, the locale file.
const pts = (n: number, c: Ctx, names?: Names) => {
  const u: Names = names || c.ds;
  return num(n, c) + " " + (u[new Intl.PluralRules(c.lang).select(n)] || u.other);
};

const api = <T>(path: string, body?: object): Promise<T> =>
  fetch(path, {
    method: body && "POST",
    headers: { Accept: JSON_TYPE, "Content-Type": JSON_TYPE },
    body: body && JSON.stringify(body),
  }).then((res) =>
    res
      .json()
      // A non-JSON answer (proxy misconfigured, HTML error page) is treated as an error.
      .catch(() => ({ error: {} }))
      .then((j) => {
        if (!res.ok || j.error) throw j.error || {};
        return j;
      }),
  );
// The app proxy does not tell the app the storefront's language, so every request says it.
const url = (c: Ctx, path: string) => c.ds.proxy + path + "?locale=" + c.lang;
// One /member request per page, shared by the launcher and the blocks; a failed one is forgotten
// so that opening the panel again retries.
const member = (c: Ctx, k = url(c, "/member")) =>
  (jobs[k] ||= api<Member>(k).catch((e) => {
    delete jobs[k];
    throw e;
  }));
// Known codes get the theme's translated message; others the server's, in the page's language.
// A thrown Error is a network failure whose message means nothing to a shopper.
const errText = (e: ApiError | Error, c: Ctx) =>
  (!(e instanceof Error) && (c.t[String((e as ApiError).code).toLowerCase()] || e.message)) ||
  c.t.error ||
  "";

const say = (c: Ctx, text = "") => {
  const live = $("[data-lw-live]", c.r);
  if (!live) return;
  // Emptying first makes screen readers announce a message identical to the previous one.
  live.textContent = "";
  setTimeout(() => (live.textContent = text), 50);
};
const set = (scope: ParentNode, k: string, v?: string | false | null) => {
  const el = $(`[data-lw-f="${k}"]`, scope);
  if (el) {
    el.textContent = v || "";
    el.hidden = !v;
  }
};
const part = <E extends HTMLElement>(c: Ctx, sel: string) =>
  $<HTMLTemplateElement>("template", c.r)!.content.querySelector(sel)!.cloneNode(true) as E;

const list = <T>(
  c: Ctx,
  key: string,
  items: T[] | undefined,
  fill: (li: HTMLElement, x: T) => void,
) => {
  const ul = $(`[data-lw-list="${key}"]`, c.r);
  if (!ul) return;
  ul.textContent = "";
  for (const x of items || []) {
    const li = part(c, "li");
    fill(li, x);
    ul.append(li);
  }
  ul.parentElement!.hidden = !ul.children.length;
};

const codeBox = (c: Ctx, x: Redemption) => {
  const box = part(c, "div");
  const a = $<HTMLAnchorElement>("a", box)!;
  $<HTMLInputElement>("input", box)!.value = x.code;
  // The URL is followed on click, so only http(s) or same-origin paths are accepted.
  if (/^(https?:)?\//.test(x.applyUrl || "")) a.href = x.applyUrl!;
  else a.remove();
  set(box, "until", x.expiresAt && fmt(c.t.until, { date: day(x.expiresAt, c) }));
  return box;
};

const render = (c: Ctx, m: Member) => {
  const P = (n: number) => pts(n, c, m.pointsName);
  const put = (k: string, v?: string | false | null) => set(c.r, k, v);
  const { tier, nextTier: next } = m;
  if (m.loggedIn) {
    put("points", P(m.points));
    const rel = m.nextRelease;
    put("pending", !!m.pendingPoints && fmt(c.t.pending, { points: P(m.pendingPoints) }));
    put("release", rel && fmt(c.t.release, { points: P(rel.points), date: day(rel.date, c) }));
    put("expires", m.expiresAt && fmt(c.t.expires, { date: day(m.expiresAt, c) }));
    put("tier", tier && fmt(c.t.tier, { tier: tier.name }));
    put(
      "multiplier",
      (tier?.multiplier as number) > 1 &&
        fmt(c.t.multiplier, { multiplier: num(tier!.multiplier!, c) }),
    );
    put("perks", tier?.perks);
    put(
      "next",
      next
        ? fmt(c.t.next, {
            // Spend-based tiers count money, not points: "$397.00 to reach Gold".
            // Keyed on currency: a server that sends the amount without it gets the points line.
            points: next.currency
              ? num(next.remainingAmount!, c, { style: "currency", currency: next.currency })
              : P(next.remaining),
            tier: next.name,
          })
        : tier && c.t.top,
    );
    const bar = $<HTMLProgressElement>("progress", c.r);
    if (bar) {
      bar.hidden = !next;
      // The tier metric (points or minor units spent) against the next tier's threshold.
      bar.max = next?.threshold || 1;
      bar.value = bar.max - (next?.remaining || 0);
    }
    $$(MEMBER, c.r).forEach((el) => (el.hidden = false));
  }
  list(c, "rewards", m.loggedIn ? m.rewards : m.program?.rewards, (li, x) => {
    li.dataset.id = x.id;
    set(li, "a", x.name);
    set(li, "b", P(x.cost));
    const got = m.codes?.[x.id];
    if (!m.loggedIn) return;
    if (got) return li.append(codeBox(c, got));
    if (x.requiresTier) return set(li, "c", fmt(c.t.locked, { tier: x.requiresTier }));
    if (x.cost > m.points) return set(li, "c", fmt(c.t.need, { points: P(x.cost - m.points) }));
    if (x.affordable === false) return;
    const b = part(c, "button");
    set(b, "a", x.name);
    li.append(b);
  });
  list(c, "earn", m.program?.waysToEarn, (li, x) => {
    set(li, "a", x.title);
    set(li, "b", x.description);
    set(li, "c", !!x.points && "+" + P(x.points));
  });
  list(c, "history", m.history, (li, x) => {
    set(li, "a", x.description);
    set(li, "b", day(x.date, c));
    set(li, "c", num(x.points, c, { signDisplay: "exceptZero" }));
  });
  // For loyalty-panel.js, whenever it arrives: it reads lwM on load, and is called after that.
  (c.r as Root).lwM = m;
  w.lwShow?.(c.r);
};

const load = (c: Ctx) => {
  const st = $("[data-lw-status]", c.r)!;
  // What only the open panel needs (copying, referrals) loads with its first opening.
  // A script that failed (offline, blocked) is asked for again at the next opening.
  w.lwPanel ||= d.head.appendChild(
    Object.assign(d.createElement("script"), {
      src: c.ds.panel,
      onerror: () => delete w.lwPanel,
    }),
  );
  if (c.ds.lwReady) return;
  st.textContent = c.t.loading || "";
  st.hidden = false;
  member(c).then(
    (m) => {
      c.ds.lwReady = "1";
      st.hidden = true;
      render(c, m);
    },
    (e) => {
      st.textContent = errText(e, c) + " ";
      st.append(part(c, "[data-lw=retry]"));
    },
  );
};

const redeem = async (b: HTMLElement) => {
  const c = ctx(b);
  const li = b.closest("li")!;
  const id = li.dataset.id!;
  if (b.ariaDisabled) return;
  // aria-disabled rather than disabled: a disabled button drops keyboard focus to <body>.
  b.ariaDisabled = "true";
  $(".lw-err", li)?.remove();
  // One key per intent to redeem: a retry after a dropped connection sends the same key, so the
  // app answers with the first redemption instead of making a second one.
  const key = (b.dataset.lwKey ||= crypto.randomUUID());
  try {
    const base = c.ds.proxy;
    let res = await api<Redemption>(url(c, "/redeem"), { rewardId: id, requestId: key });
    // Still being prepared (Shopify was slow): ask again until it settles, for two minutes.
    for (let i = 0; res.status == "PROCESSING"; i++) {
      if (i > 40) throw {};
      say(c, res.message);
      await new Promise((r) => setTimeout(r, 3e3));
      res = await api<Redemption>(url(c, "/redemptions/" + res.id));
    }
    delete b.dataset.lwKey;
    const m = await member(c);
    m.points = res.points;
    (m.codes ||= {})[id] = res;
    $$(ROOT).forEach((r) => {
      if (r.dataset.proxy === base && r.dataset.lwReady) render(ctx(r), m);
    });
    // The new code, or (store credit: no code) what loyalty-panel.js shows in its place.
    $(`[data-id="${CSS.escape(id)}"] :is(input,[tabindex])`, c.r)?.focus();
    say(
      c,
      res.message ||
        fmt(c.t.redeemed, { code: res.code, points: pts(res.points, c, m.pointsName) }),
    );
  } catch (e) {
    b.ariaDisabled = null;
    // The app refused or gave the points back: the next click is a new request. After a dropped
    // connection, a server error or TRY_AGAIN the same key goes again and finds this redemption.
    const code = (e as ApiError).code;
    if (code && code != "TRY_AGAIN") delete b.dataset.lwKey;
    const p = d.createElement("p");
    p.className = "lw-err";
    p.textContent = errText(e as ApiError, c);
    li.append(p);
    say(c, p.textContent);
  }
};

const open = (b: HTMLElement | null) => {
  if (!b) return;
  const c = ctx(b);
  const dlg = $<HTMLDialogElement>("dialog", c.r)!;
  if (dlg.open) return;
  dlg.showModal();
  b.ariaExpanded = "true";
  load(c);
};

const balances = () =>
  $$("[data-lw-auto]").forEach((r) => {
    const c = ctx(r);
    member(c).then(
      (m) => {
        c.ds.lwReady = "1";
        render(c, m);
      },
      (e) => {
        $$(MEMBER, r).forEach((el) => (el.hidden = true));
        set(r, "error", errText(e, c));
      },
    );
  });

// Liquid prices are in the shopper's currency while points accrue on the shop currency; a
// signed-in member's tier multiplier (x, in percent) applies as it will on the order.
const earn = (id?: string, only = "") =>
  $$(EARN + only).forEach((el) => {
    const c = ctx(el);
    const ds = c.ds;
    if (id) {
      const price = JSON.parse(ds.prices || "{}")[id];
      if (price == null) return;
      ds.price = price;
    }
    // data-fx is a bare attribute: "" in the dataset, so its presence is what counts.
    const rate = ("fx" in ds && +(w.Shopify?.currency?.rate as string)) || 1;
    // Left to right keeps price × earn × x an exact integer before the single division, rounded
    // once as the program rounds (floor, ceil or round: the server's DOWN, UP, NEAREST half up).
    const n = Math[(ds.r || "floor") as "floor"](
      ((+ds.price! / rate) * +ds.earn! * Math.round(+(ds.x || 1) * 100)) / (+ds.per! * 100),
    );
    el.hidden = !(n > 0);
    set(el, "points", pts(n, c));
  });
const tiers = () =>
  $$(EARN + "[data-proxy]").forEach((el) =>
    member(ctx(el)).then((m) => {
      // At 1× the figure Liquid printed stands: no formatting, no long task.
      const x = m.tier?.multiplier;
      if ((x as number) > 1) {
        el.dataset.x = x + "";
        earn();
      }
    }, Boolean),
  );

if (!w.lwLoaded) {
  // Every block prints its own deferred <script>; only the first copy may bind listeners.
  w.lwLoaded = true;
  const on = <E extends Event = Event>(
    type: string,
    fn: (e: E & { target: HTMLElement }) => void,
    capture?: boolean,
  ) => d.addEventListener(type, fn as unknown as EventListener, capture);

  on("click", (e) => {
    const t = e.target;
    // The panel's inner box fills the dialog, so a click on the dialog itself hit the backdrop.
    if (t.matches?.(DIALOG)) return (t as HTMLDialogElement).close();
    // Every control names its action in data-lw: open, close, redeem, retry (copy, share: panel).
    const b = t.closest?.<HTMLElement>("[data-lw]");
    const a = b?.dataset.lw;
    if (a == "open") open(b!);
    else if (a == "close") b!.closest("dialog")!.close();
    else if (a == "redeem") redeem(b!);
    // copy and share belong to loyalty-panel.js.
    else if (a == "retry") {
      // The retry button is about to be replaced; park focus where it can stay.
      $(CLOSE, ctx(b!).r)?.focus();
      load(ctx(b!));
    }
  });

  // A native modal dialog lets Tab leave for the browser chrome; keep focus cycling in the panel.
  on<KeyboardEvent>("keydown", (e) => {
    const dlg = e.key === "Tab" && e.target.closest?.(DIALOG);
    if (!dlg) return;
    const f = [...$$("a[href],button,input", dlg)].filter((x) => x.getClientRects().length);
    const back = e.shiftKey;
    // Not f.at(-1): Safari before 15.4 lacks it.
    const last = f[f.length - 1];
    const edge = back ? f[0] : last;
    if (e.target === edge || e.target === dlg) {
      e.preventDefault();
      (back ? last : f[0])?.focus();
    }
  });

  // close does not bubble, hence the capture listener.
  on(
    "close",
    (e) => {
      const r = e.target.closest?.(ROOT);
      const b = r && $(OPEN, r);
      if (b) {
        b.ariaExpanded = "false";
        b.focus();
      }
    },
    true,
  );

  const prefetch = (e: { target: HTMLElement }) => {
    const b = e.target.closest?.(OPEN);
    if (b) member(ctx(b)).catch(Boolean);
  };
  on("pointerover", prefetch);
  on("focusin", prefetch);

  // Dawn-style themes fire change on the variant input, Horizon fires variant:update.
  on<Event & { target: HTMLInputElement }>("change", (e) => {
    if (e.target.name === "id") earn(e.target.value);
  });
  on<CustomEvent>("variant:update", (e) => {
    const v = e.detail?.resource;
    if (v?.id) earn(String(v.id));
  });

  // Liquid printed the earn figure in the shop's currency; only a converted one is redone here.
  // The page's first number formatting costs ~35 ms (ICU data): issue #15's long task on load.
  const start = () => {
    balances();
    earn("", "[data-fx]");
    tiers();
  };
  // Theme editor: blocks re-render in place after a setting changes.
  on("shopify:section:load", start);
  start();
}

export {};
