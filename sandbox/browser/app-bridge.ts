/**
 * Sandbox stand-in for https://cdn.shopify.com/shopifycloud/app-bridge.js (App Bridge v4), served
 * to the app only by the sandbox. It does what the app relies on, the way App Bridge does it:
 *  - `shopify.idToken()`: a fresh session token, obtained from the admin page that embeds the app
 *    (the sandbox admin signs it with the app secret, as Shopify admin does);
 *  - fetch: same-origin requests get `Authorization: Bearer <session token>`, and a response with
 *    `X-Shopify-Retry-Invalid-Session-Request: 1` is retried once with a new token;
 *  - the bounce page (`shopify-reload` parameter) reloads with a fresh `id_token`;
 *  - `shopify.resourcePicker` for products, variants and collections, drawn by the admin page;
 *  - `shopify.toast`, `shopify.loading`, `shopify.saveBar` and the `ui-nav-menu`, `ui-title-bar`,
 *    `ui-save-bar` and `ui-modal` elements, whose chrome the admin page draws outside the iframe
 *    (as Shopify admin does) and whose buttons it clicks back in here;
 *  - `shopify://admin/…` links and window.open calls open that admin page;
 *  - outside an iframe it sends the browser to the app inside the admin.
 * Any other `shopify.*` API throws, naming itself, rather than pretending to work.
 */

type Message = { source?: string; type?: string; id?: number; [key: string]: unknown };
type ButtonInfo = { label: string; primary: boolean; disabled: boolean; loading: boolean };

const APP = "sandbox-app-bridge";
const ADMIN = "sandbox-admin";
const AUTH_PARAMS = [
  "shop",
  "host",
  "embedded",
  "id_token",
  "hmac",
  "locale",
  "session",
  "timestamp",
];

(() => {
  const w = window as unknown as Window & { shopify?: unknown; __sandboxAppBridge?: boolean };
  if (w.__sandboxAppBridge) return;
  w.__sandboxAppBridge = true;

  const script = document.currentScript as HTMLScriptElement | null;
  const apiKey = script?.dataset.apiKey ?? "";
  const adminOrigin = script ? new URL(script.src).origin : location.origin;
  const params = new URLSearchParams(location.search);
  const shop = params.get("shop") ?? "";
  const host = params.get("host") ?? "";

  if (window.top === window) {
    // App Bridge refuses to run an embedded app outside the admin and sends it back there.
    const store = shop.replace(/\.myshopify\.com$/, "");
    if (store) {
      const kept = new URLSearchParams(location.search);
      for (const key of AUTH_PARAMS) kept.delete(key);
      const query = kept.toString();
      location.replace(
        `${adminOrigin}/store/${store}/apps/${apiKey}${location.pathname}${query ? `?${query}` : ""}`,
      );
    }
    return;
  }

  let seq = 0;
  const pending = new Map<number, (value: Message) => void>();
  const post = (message: Message) =>
    window.parent.postMessage({ source: APP, ...message }, adminOrigin);
  const call = (type: string, payload: Message = {}) =>
    new Promise<Message>((resolve) => {
      seq += 1;
      pending.set(seq, resolve);
      post({ ...payload, type, id: seq });
    });

  // ------------------------------------------------------------------ session tokens

  let cached: { token: string; exp: number } | null = null;
  const idToken = async (fresh = false): Promise<string> => {
    if (!fresh && cached && cached.exp - 10_000 > Date.now()) return cached.token;
    const reply = await call("idToken");
    const token = String(reply.token);
    const claims = JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));
    cached = { token, exp: Number(claims.exp) * 1000 };
    return token;
  };

  const reload = params.get("shopify-reload");
  if (reload) {
    const target = new URL(reload, location.href);
    // Only ever reload into the app itself: the parameter comes from the URL.
    if (target.origin === location.origin) {
      void idToken(true).then((token) => {
        target.searchParams.set("id_token", token);
        location.replace(target.toString());
      });
    }
  }

  const nativeFetch = window.fetch.bind(window);
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (new URL(request.url).origin !== location.origin || request.headers.has("authorization"))
      return nativeFetch(request);
    const spare = request.clone();
    const send = async (req: Request, fresh: boolean) => {
      const headers = new Headers(req.headers);
      headers.set("Authorization", `Bearer ${await idToken(fresh)}`);
      return nativeFetch(new Request(req, { headers }));
    };
    const response = await send(request, false);
    if (response.headers.get("X-Shopify-Retry-Invalid-Session-Request") === "1")
      return send(spare, true);
    return response;
  };

  // ------------------------------------------------------------------ admin chrome

  const style = document.createElement("style");
  style.textContent = "ui-nav-menu,ui-title-bar,ui-save-bar{display:none!important}";
  document.head.append(style);

  const label = (el: Element) => (el.textContent ?? "").replace(/\s+/g, " ").trim();
  const buttonsOf = (root: Element): HTMLElement[] =>
    [...root.children].filter(
      (el): el is HTMLElement => el.tagName === "BUTTON" || el.tagName === "A",
    );
  const describe = (el: HTMLElement): ButtonInfo => ({
    label: label(el),
    primary: el.getAttribute("variant") === "primary",
    disabled: el.hasAttribute("disabled"),
    loading: el.hasAttribute("loading"),
  });
  const watch = (el: Element, report: () => void) => {
    const observer = new MutationObserver(report);
    observer.observe(el, { subtree: true, childList: true, attributes: true, characterData: true });
    return observer;
  };

  const toastCallbacks = new Map<string, { onAction?: () => void; onDismiss?: () => void }>();
  const toast = {
    show(
      message: string,
      options: {
        duration?: number;
        isError?: boolean;
        action?: string;
        onAction?: () => void;
        onDismiss?: () => void;
      } = {},
    ) {
      seq += 1;
      const id = `toast-${seq}`;
      toastCallbacks.set(id, { onAction: options.onAction, onDismiss: options.onDismiss });
      post({
        type: "toast",
        toastId: id,
        message: String(message),
        isError: !!options.isError,
        duration: options.duration ?? 5000,
        action: options.action ?? null,
      });
      return id;
    },
    hide(id: string) {
      post({ type: "toastHide", toastId: id });
    },
  };

  class NavMenu extends HTMLElement {
    private observer?: MutationObserver;
    connectedCallback() {
      const report = () =>
        post({
          type: "navMenu",
          items: [...this.querySelectorAll("a")].map((a) => ({
            label: label(a),
            href: a.getAttribute("href") ?? "",
            home: a.getAttribute("rel") === "home",
          })),
        });
      this.observer = watch(this, report);
      report();
    }
    disconnectedCallback() {
      this.observer?.disconnect();
      post({ type: "navMenu", items: [] });
    }
  }

  class TitleBar extends HTMLElement {
    private observer?: MutationObserver;
    actions(): HTMLElement[] {
      const direct = buttonsOf(this);
      const grouped = [...this.querySelectorAll("section")].flatMap((s) => buttonsOf(s));
      return [...direct, ...grouped];
    }
    connectedCallback() {
      if (this.closest("ui-modal")) return;
      const report = () =>
        post({
          type: "titleBar",
          title: this.getAttribute("title") ?? "",
          actions: this.actions().map(describe),
        });
      this.observer = watch(this, report);
      report();
    }
    disconnectedCallback() {
      this.observer?.disconnect();
      if (!this.closest("ui-modal")) post({ type: "titleBar", title: null, actions: [] });
    }
  }

  class SaveBar extends HTMLElement {
    private visible = false;
    private observer?: MutationObserver;
    get showing() {
      return this.visible;
    }
    private report() {
      post({
        type: "saveBar",
        barId: this.id,
        showing: this.visible,
        buttons: buttonsOf(this).map(describe),
        discardConfirmation: this.hasAttribute("discardConfirmation"),
      });
    }
    async show() {
      if (this.visible) return;
      this.visible = true;
      this.report();
      this.dispatchEvent(new Event("show"));
    }
    async hide() {
      if (!this.visible) return;
      this.visible = false;
      this.report();
      this.dispatchEvent(new Event("hide"));
    }
    async toggle() {
      return this.visible ? this.hide() : this.show();
    }
    connectedCallback() {
      this.observer = watch(this, () => this.visible && this.report());
      if (this.hasAttribute("open")) void this.show();
    }
    disconnectedCallback() {
      this.observer?.disconnect();
      if (this.visible) {
        this.visible = false;
        this.report();
      }
    }
    press(index: number) {
      buttonsOf(this)[index]?.click();
    }
  }

  /** Drawn inside the iframe (Shopify draws it over the whole admin); same API and events. */
  class Modal extends HTMLElement {
    readonly content = document.createElement("div");
    private dialog = document.createElement("dialog");
    private heading = document.createElement("h2");
    private footer = document.createElement("div");
    connectedCallback() {
      if (this.dialog.isConnected) return;
      this.dialog.setAttribute("aria-labelledby", `${this.id || "ui-modal"}-title`);
      this.heading.id = `${this.id || "ui-modal"}-title`;
      this.dialog.style.cssText =
        "border:0;border-radius:12px;padding:0;max-width:min(620px,90vw);width:100%;box-shadow:0 20px 40px rgba(0,0,0,.3)";
      this.heading.style.cssText =
        "font:600 16px/1.4 system-ui;margin:0;padding:16px;border-bottom:1px solid #e3e3e3";
      this.footer.style.cssText =
        "display:flex;gap:8px;justify-content:flex-end;padding:12px 16px;border-top:1px solid #e3e3e3";
      this.content.style.cssText = "padding:16px";
      this.dialog.append(this.heading, this.content, this.footer);
      this.dialog.addEventListener("close", () => this.dispatchEvent(new Event("hide")));
      document.body.append(this.dialog);
    }
    disconnectedCallback() {
      this.dialog.remove();
    }
    private renderChrome() {
      const bar = this.querySelector("ui-title-bar");
      this.heading.textContent = bar?.getAttribute("title") ?? "";
      this.footer.textContent = "";
      for (const source of bar ? buttonsOf(bar) : []) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = label(source);
        button.disabled = source.hasAttribute("disabled");
        button.addEventListener("click", () => source.click());
        this.footer.append(button);
      }
    }
    async show() {
      this.renderChrome();
      if (!this.dialog.open) {
        this.dialog.showModal();
        this.dispatchEvent(new Event("show"));
      }
    }
    async hide() {
      if (this.dialog.open) this.dialog.close();
    }
    async toggle() {
      return this.dialog.open ? this.hide() : this.show();
    }
  }

  customElements.define("ui-nav-menu", NavMenu);
  customElements.define("ui-title-bar", TitleBar);
  customElements.define("ui-save-bar", SaveBar);
  customElements.define("ui-modal", Modal);

  const saveBarById = (id: string) => {
    const el = document.getElementById(id);
    return el instanceof SaveBar ? el : null;
  };
  const showingSaveBars = () =>
    [...document.querySelectorAll("ui-save-bar")].filter(
      (el) => el instanceof SaveBar && el.showing,
    );

  // ------------------------------------------------------------------ shopify://admin links

  // App Bridge opens `shopify://admin/orders/1` (or `shopify:admin/…`) in the admin itself.
  const adminPath = (href: string) => /^shopify:(?:\/\/)?admin(\/[^?#]*)?/.exec(href)?.[1] ?? null;
  document.addEventListener(
    "click",
    (event) => {
      const anchor = (event.target as Element | null)?.closest?.("a[href]");
      const path = anchor ? adminPath(anchor.getAttribute("href") ?? "") : null;
      if (path === null) return;
      event.preventDefault();
      post({ type: "adminNavigate", path });
    },
    true,
  );
  const nativeOpen = window.open.bind(window);
  window.open = (url?: string | URL, target?: string, features?: string) => {
    const path = url === undefined ? null : adminPath(String(url));
    if (path === null) return nativeOpen(url, target, features);
    post({ type: "adminNavigate", path });
    return null;
  };

  // ------------------------------------------------------------------ location

  const reportLocation = () => {
    const query = new URLSearchParams(location.search);
    for (const key of [...AUTH_PARAMS, "shopify-reload"]) query.delete(key);
    const rest = query.toString();
    post({ type: "location", path: `${location.pathname}${rest ? `?${rest}` : ""}` });
  };
  for (const method of ["pushState", "replaceState"] as const) {
    const original = history[method].bind(history);
    history[method] = (...args: Parameters<History["pushState"]>) => {
      original(...args);
      reportLocation();
    };
  }
  addEventListener("popstate", reportLocation);
  if (!reload) reportLocation();

  // ------------------------------------------------------------------ messages from the admin

  addEventListener("message", (event: MessageEvent<Message>) => {
    if (event.origin !== adminOrigin || event.data?.source !== ADMIN) return;
    const data = event.data;
    if (typeof data.replyTo === "number") {
      pending.get(data.replyTo)?.(data);
      pending.delete(data.replyTo);
      return;
    }
    switch (data.type) {
      case "navigate": {
        // What App Bridge does when the merchant picks an item of the app's menu in the admin.
        const anchor = [...document.querySelectorAll("ui-nav-menu a")].find(
          (a) => a.getAttribute("href") === data.href,
        );
        if (anchor)
          anchor.dispatchEvent(
            new CustomEvent("shopify:navigate", { bubbles: true, composed: true }),
          );
        else location.assign(String(data.href));
        break;
      }
      case "saveBarAction":
        saveBarById(String(data.barId))?.press(Number(data.index));
        break;
      case "titleBarAction": {
        const bar = [...document.querySelectorAll("ui-title-bar")].find(
          (el) => !el.closest("ui-modal"),
        );
        if (bar instanceof TitleBar) bar.actions()[Number(data.index)]?.click();
        break;
      }
      case "toastAction":
        toastCallbacks.get(String(data.toastId))?.onAction?.();
        break;
      case "toastDismissed":
        toastCallbacks.get(String(data.toastId))?.onDismiss?.();
        toastCallbacks.delete(String(data.toastId));
        break;
    }
  });

  // ------------------------------------------------------------------ the global

  const api: Record<string, unknown> = {
    config: { apiKey, shop, host, locale: navigator.language || "en" },
    environment: { embedded: true, mobile: false, pos: false },
    origin: adminOrigin,
    idToken: () => idToken(false),
    // The admin draws the picker over the page and answers with the chosen resources, or with
    // nothing when it is cancelled (as App Bridge resolves undefined).
    resourcePicker: async (options: {
      type: "product" | "collection" | "variant";
      multiple?: boolean | number;
      selectionIds?: Array<{ id: string }>;
      action?: "add" | "select";
    }) => {
      const reply = await call("resourcePicker", {
        resourceType: options.type,
        multiple: options.multiple ?? false,
        selectionIds: (options.selectionIds ?? []).map((s) => s.id),
        action: options.action ?? "add",
      });
      const selection = reply.selection as Array<Record<string, unknown>> | null;
      return selection ? Object.assign([...selection], { selection }) : undefined;
    },
    toast,
    loading: (on = true) => post({ type: "loading", on }),
    saveBar: {
      show: (id: string) => saveBarById(id)?.show(),
      hide: (id: string) => saveBarById(id)?.hide(),
      toggle: (id: string) => saveBarById(id)?.toggle(),
      // Resolves when nothing is unsaved; otherwise the admin draws attention to the bar.
      leaveConfirmation: async () => {
        if (showingSaveBars().length) {
          post({ type: "saveBarLeave" });
          throw new Error("There are unsaved changes");
        }
      },
    },
  };
  const passThrough = new Set(["then", "toJSON", "constructor", "$$typeof", "nodeType"]);
  w.shopify = new Proxy(api, {
    get(target, prop) {
      if (typeof prop !== "string" || prop in target || passThrough.has(prop))
        return Reflect.get(target, prop);
      throw new Error(
        `shopify.${prop} is not simulated by the sandbox's App Bridge stand-in (sandbox/browser/app-bridge.ts)`,
      );
    },
  });
})();

export {};
