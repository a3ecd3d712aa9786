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
interface Member {
  pointsName?: Names;
  referral?: Referral | null;
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

const show = (r: Root) => {
  const box = $("[data-lw-refer]", r);
  const x = r.lwM?.referral;
  if (!box) return;
  box.hidden = !x;
  if (!x) return;
  const t = texts(r);
  const lang = r.dataset.locale;
  const names: Names = r.lwM!.pointsName || r.dataset;
  const n = x.points;
  const points =
    n.toLocaleString(lang) + " " + (names[new Intl.PluralRules(lang).select(n)] || names.other);
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

d.addEventListener("lw:render", (e) => show(e.target as Root));
d.addEventListener("click", (e) => {
  const b = (e.target as HTMLElement).closest?.<HTMLElement>("[data-lw]");
  const r = b?.closest<HTMLElement>("[data-lw-root]");
  if (!r) return;
  if (b!.dataset.lw == "copy") copy(b!, r);
  if (b!.dataset.lw == "share")
    // A dismissed share sheet rejects; nothing to tell the shopper.
    navigator.share({ url: $<HTMLInputElement>("[data-lw-refer] input", r)!.value }).catch(Boolean);
});
// Panels loyalty.js rendered before this script arrived.
d.querySelectorAll<Root>("[data-lw-root]").forEach(show);

export {};
