// Source of assets/loyalty-panel.js (minified, see docs/storefront.md). loyalty.js loads it the
// first time a shopper opens the rewards panel: what only the open panel needs lives here, so
// the script every page loads stays within its budget. test/extension/assets.test.ts checks both.

type Names = Partial<Record<Intl.LDMLPluralRule, string>>;
interface Referral {
  /** Appended to the storefront's app proxy URL: the member's link. */
  path: string;
  points: number;
  offer: string;
  pending?: number;
  rewarded?: number;
}
interface Birthday {
  points: number;
  /** The day the shopper gave; null until they do. */
  date: { month: number; day: number } | null;
  /** When the next bonus will be paid (ISO date, the shop's calendar). */
  next: string | null;
}
interface Follow {
  network: string;
  label: string;
  url: string;
  points: number;
  /** The member already earned this network's points. */
  done: boolean;
}
interface Member {
  pointsName?: Names;
  follows?: Follow[];
  /** The NPS survey, while the program asks it of this member. */
  survey?: { points: number } | null;
  referral?: Referral | null;
  birthday?: Birthday | null;
  /** Rewards redeemed on this page; store credit carries the app's words instead of a code. */
  codes?: Record<string, { message?: string }>;
}
type Root = HTMLElement & { lwM?: Member };

const d = document;
const $ = <E extends Element = HTMLElement>(s: string, el: ParentNode = d) =>
  el.querySelector<E>(s);
const fmt = (s: string | undefined, v: Record<string, string>) =>
  (s || "").replace(/\{(\w+)\}/g, (m, k: string) => v[k] ?? m);
const texts = (r: HTMLElement) => ($("[data-lw-t]", r) || r).dataset;

const say = (r: HTMLElement, text = "") => {
  const live = $("[data-lw-live]", r);
  if (!live) return;
  // Emptying first makes screen readers announce a message identical to the previous one.
  live.textContent = "";
  setTimeout(() => (live.textContent = text), 50);
};

// "500 points", in the merchant's name for them (or the locale file's) and the page's language.
const pts = (r: Root, n: number) => {
  const names: Names = r.lwM?.pointsName || r.dataset;
  const lang = r.dataset.locale;
  return (
    n.toLocaleString(lang) + " " + (names[new Intl.PluralRules(lang).select(n)] || names.other)
  );
};
// A first empty choice: nothing is saved as 1 January by a shopper who only pressed Save.
const opts = (sel: HTMLSelectElement, labels: string[], chosen?: number) => {
  if (!sel.length) ["–", ...labels].forEach((l, i) => sel.add(new Option(l, i ? i + "" : "")));
  sel.value = (chosen || "") + "";
};

const birthday = (r: Root) => {
  const box = $("[data-lw-bday]", r);
  const x = r.lwM?.birthday;
  if (!box) return;
  box.hidden = !x;
  if (!x) return;
  const t = texts(r);
  const at = x.date;
  const points = pts(r, x.points);
  // The day the app will pay, year included: never a promise the 30-day wait rules out.
  $("[data-lw-f=bday]", box)!.textContent = x.next
    ? fmt(t.bday_set, {
        points,
        date: new Date(x.next + "T12:00").toLocaleDateString(r.dataset.locale, {
          dateStyle: "long",
        }),
      })
    : fmt(t.bday, { points });
  const [m, dd] = box.querySelectorAll("select");
  opts(
    m!,
    // Month names from a date; a birthday has no year, and 2024 has every day, 29 February too.
    Array.from({ length: 12 }, (_, i) =>
      new Date(2024, i, 1).toLocaleDateString(r.dataset.locale, { month: "long" }),
    ),
    at?.month,
  );
  opts(
    dd!,
    Array.from({ length: 31 }, (_, i) => (i + 1).toLocaleString(r.dataset.locale)),
    at?.day,
  );
  days(m!);
};

// Days the chosen month does not have cannot be picked (29 February can: 2024 has it).
const days = (m: HTMLSelectElement) => {
  const dd = $<HTMLSelectElement>("[name=day]", m.closest("[data-lw-bday]")!)!;
  const max = new Date(2024, +m.value || 1, 0).getDate();
  for (const o of dd.options) o.disabled = +o.value > max;
  if (+dd.value > max) dd.value = "";
};

/**
 * POSTs a panel form's JSON to the app and, either way, says what came of it on the section's
 * line (`sel`) as well as to screen readers: `done` gives the success text.
 */
const send = (
  b: HTMLElement,
  r: Root,
  path: string,
  body: object,
  sel: string,
  done: (answer: { birthday?: Birthday }) => string,
) => {
  if (b.ariaDisabled) return;
  b.ariaDisabled = "true";
  // Focus goes to the line that tells the outcome: the control pressed may be gone.
  const tell = (text = "") => {
    const el = line(r, sel);
    el.tabIndex = -1;
    el.focus();
    say(r, (el.textContent = text));
  };
  fetch(r.dataset.proxy + path + "?locale=" + r.dataset.locale, {
    method: "POST",
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: JSON.stringify(body),
  })
    .then((res) => res.json().then((j) => (res.ok ? j : Promise.reject(j.error))))
    .then(
      (j) => {
        // The new balance, wherever the page shows it (the panel, balance blocks).
        if (j.points)
          d.querySelectorAll("[data-lw-f=points]").forEach(
            (el) => (el.textContent = pts(r, j.balance)),
          );
        tell(done(j));
      },
      // The app's own words ("Choose a month and a day of it." for 30 February); a network or
      // HTML error's message means nothing to a shopper.
      (e) => tell((!(e instanceof Error) && e?.message) || texts(r).error),
    )
    .finally(() => (b.ariaDisabled = null));
};

const saveBirthday = (b: HTMLElement, r: Root) => {
  const [month, day] = [...b.parentElement!.querySelectorAll("select")].map((s) => +s.value);
  send(b, r, "/birthday", { month, day }, "[data-lw-bday]", (j) => {
    // The app's answer says when the next bonus will be paid.
    r.lwM!.birthday = j.birthday;
    birthday(r);
    return line(r, "[data-lw-bday]").textContent!;
  });
};

const survey = (r: Root) => {
  const box = $("[data-lw-nps]", r);
  const x = r.lwM?.survey;
  if (!box) return;
  box.hidden = !x;
  if (x)
    $("[data-lw-f=nps]", box)!.textContent = x.points
      ? fmt(texts(r).nps, { points: pts(r, x.points) })
      : "";
};

const answer = (b: HTMLElement, r: Root) => {
  const box = $("[data-lw-nps]", r)!;
  const picked = $<HTMLInputElement>("input:checked", box);
  if (!picked) return say(r, ($("[data-lw-f=nps]", box)!.textContent = texts(r).nps_pick || ""));
  const comment = $<HTMLTextAreaElement>("textarea", box)!.value;
  send(b, r, "/survey", { score: +picked.value, comment }, "[data-lw-nps]", () => {
    // Answered: only the thanks stays; the survey comes back after the program's interval.
    r.lwM!.survey = null;
    box.querySelectorAll<HTMLElement>("fieldset,.lw-ends,.lw-code").forEach((el) => el.remove());
    return texts(r).nps_thanks || "";
  });
};

const FOLLOW = "[data-lw-follow]";

const follows = (r: Root) => {
  const box = $(FOLLOW, r);
  const x = r.lwM?.follows || [];
  if (!box) return;
  box.hidden = !x.length;
  const ul = $("ul", box)!;
  ul.textContent = "";
  for (const f of x) {
    const li = d.createElement("li");
    const a = d.createElement("a");
    const p = d.createElement("strong");
    li.className = "lw-row";
    // The app only stores https addresses on the network's own domain.
    a.href = f.url;
    a.target = "_blank";
    a.rel = "noopener";
    a.className = "lw-link";
    a.dataset.lw = "follow";
    a.dataset.net = f.network;
    a.textContent = fmt(texts(r).follow, { network: f.label });
    p.className = "lw-pts";
    p.textContent = f.done ? "✓" : "+" + pts(r, f.points);
    li.append(a, p);
    ul.append(li);
  }
};

// The link opens the network as links do; the app is told at the same time, and gives the
// points once per network.
const follow = (b: HTMLElement, r: Root) => {
  const f = r.lwM?.follows?.find((x) => x.network == b.dataset.net);
  if (!f || f.done) return;
  send(b, r, "/follow", { network: f.network }, FOLLOW, () => {
    f.done = true;
    follows(r);
    return fmt(texts(r).followed, { network: f.label });
  });
};

/** The line of a panel section that tells what came of its form. */
const line = (r: Root, sel: string) => $(sel + " [data-lw-f]", r)!;

// Store credit has no code to copy: the app's words on where it went replace the code box,
// focusable so that loyalty.js moves focus there as it does to a new code.
const credits = (r: Root) => {
  for (const box of r.querySelectorAll<HTMLElement>("[data-id] .lw-code")) {
    const x = r.lwM?.codes?.[box.closest("li")!.dataset.id!];
    if (x?.message) {
      box.textContent = x.message;
      box.tabIndex = -1;
    }
  }
};

const show = (r: Root) => {
  credits(r);
  birthday(r);
  survey(r);
  follows(r);
  const box = $("[data-lw-refer]", r);
  const x = r.lwM?.referral;
  if (!box) return;
  box.hidden = !x;
  if (!x) return;
  const t = texts(r);
  const lang = r.dataset.locale;
  const points = pts(r, x.points);
  // The link is on the domain and language root the shopper is on, as the panel's own requests.
  $<HTMLInputElement>("input", box)!.value = location.origin + r.dataset.proxy + x.path;
  $("[data-lw-f=refer]", box)!.textContent = fmt(t.refer, { points, offer: x.offer });
  const friends = (x.pending || 0) + (x.rewarded || 0);
  const stats = $("[data-lw-f=referred]", box)!;
  stats.hidden = !friends;
  stats.textContent = fmt(t.referred, { count: friends.toLocaleString(lang) });
  // Phones share to messaging apps; elsewhere the link is copied.
  $("[data-lw=share]", box)!.hidden = !navigator.share;
};

const copy = (b: HTMLElement, r: HTMLElement) => {
  const input = $<HTMLInputElement>("input", b.parentElement!)!;
  const ok = () => say(r, (b.textContent = texts(r).copied || ""));
  // Without the Clipboard API (old browser) or its permission the text is left selected, so the
  // shopper can still copy it by hand. Storefronts are always HTTPS, a secure context.
  const pick = () => input.select();
  const cb = navigator.clipboard;
  if (cb) cb.writeText(input.value).then(ok, pick);
  else pick();
};

(window as { lwShow?: typeof show }).lwShow = show;
d.addEventListener("change", (e) => {
  const m = e.target as HTMLSelectElement;
  if (m.name == "month" && m.closest("[data-lw-bday]")) days(m);
});
d.addEventListener("click", (e) => {
  const b = (e.target as HTMLElement).closest?.<HTMLElement>("[data-lw]");
  const r = b?.closest<HTMLElement>("[data-lw-root]");
  if (!r) return;
  const a = b!.dataset.lw;
  if (a == "copy") copy(b!, r);
  if (a == "bday") saveBirthday(b!, r);
  if (a == "nps") answer(b!, r);
  if (a == "follow") follow(b!, r);
  if (a == "share")
    // A dismissed share sheet rejects; nothing to tell the shopper.
    navigator.share({ url: $<HTMLInputElement>("[data-lw-refer] input", r)!.value }).catch(Boolean);
});
// Panels loyalty.js rendered before this script arrived; it calls lwShow for later renders.
d.querySelectorAll<Root>("[data-lw-root]").forEach(show);

export {};
