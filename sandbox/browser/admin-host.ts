/**
 * The sandbox admin page's side of App Bridge: it answers the embedded app's requests for
 * session tokens and draws what Shopify admin draws around the iframe from the app's
 * `ui-nav-menu`, `ui-title-bar`, `ui-save-bar` and toasts. Clicks on that chrome are sent back to
 * the app, which clicks its own (hidden) buttons, as with the real admin.
 */

type Message = { source?: string; type?: string; id?: number; [key: string]: unknown };
type ButtonInfo = { label: string; primary: boolean; disabled: boolean; loading: boolean };

(() => {
  const frame = document.querySelector<HTMLIFrameElement>("iframe[data-app-origin]");
  if (!frame) return;
  const appOrigin = frame.dataset.appOrigin!;
  const appBase = frame.dataset.appBase!;
  const tokenUrl = frame.dataset.tokenUrl!;
  const resourcesUrl = frame.dataset.resourcesUrl!;
  const $ = <E extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as E;

  const send = (message: Message) =>
    frame.contentWindow?.postMessage({ source: "sandbox-admin", ...message }, appOrigin);

  const button = (info: ButtonInfo, onClick: () => void) => {
    const el = document.createElement("button");
    el.type = "button";
    el.className = info.primary ? "btn btn-primary" : "btn";
    el.textContent = info.loading ? `${info.label}…` : info.label;
    if (info.disabled || info.loading) el.setAttribute("aria-disabled", "true");
    if (info.loading) el.setAttribute("aria-busy", "true");
    el.addEventListener("click", () => {
      if (el.getAttribute("aria-disabled") !== "true") onClick();
    });
    return el;
  };

  // ---------------------------------------------------------------- toasts
  const toasts = $("toasts");
  const showToast = (data: Message) => {
    const item = document.createElement("div");
    item.className = data.isError ? "toast toast-error" : "toast";
    item.dataset.toastId = String(data.toastId);
    const text = document.createElement("span");
    text.textContent = String(data.message);
    item.append(text);
    const dismiss = () => {
      item.remove();
      send({ type: "toastDismissed", toastId: data.toastId });
    };
    if (data.action) {
      item.append(
        button(
          { label: String(data.action), primary: false, disabled: false, loading: false },
          () => send({ type: "toastAction", toastId: data.toastId }),
        ),
      );
    }
    const close = button(
      { label: "Dismiss", primary: false, disabled: false, loading: false },
      dismiss,
    );
    close.className = "toast-close";
    item.append(close);
    toasts.append(item);
    setTimeout(dismiss, Number(data.duration) || 5000);
  };

  // ---------------------------------------------------------------- navigation
  let navItems: Array<{ label: string; href: string; home: boolean }> = [];
  let currentPath = "";
  const pathOf = (href: string) => new URL(href, appOrigin).pathname;
  const renderNav = () => {
    const list = $("app-nav");
    list.textContent = "";
    const home = navItems.find((i) => i.home);
    const appLink = $<HTMLAnchorElement>("app-link");
    if (home) appLink.dataset.href = home.href;
    // The home item names the app's root; the admin shows the rest under the app's name.
    const active = [...navItems]
      .filter((i) => currentPath === pathOf(i.href) || currentPath.startsWith(`${pathOf(i.href)}/`))
      .sort((a, b) => pathOf(b.href).length - pathOf(a.href).length)[0];
    for (const item of navItems.filter((i) => !i.home)) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = `${appBase}${pathOf(item.href)}`;
      a.textContent = item.label;
      if (item === active) a.setAttribute("aria-current", "page");
      a.addEventListener("click", (event) => {
        event.preventDefault();
        navigate(item.href);
      });
      li.append(a);
      list.append(li);
    }
    if (home && active === home) appLink.setAttribute("aria-current", "page");
    else appLink.removeAttribute("aria-current");
  };
  const saveBars = new Map<string, Message>();
  const navigate = (href: string) => {
    if ([...saveBars.values()].some((b) => b.showing)) return leaveBlocked();
    send({ type: "navigate", href });
  };
  $("app-link").addEventListener("click", (event) => {
    const href = $("app-link").dataset.href;
    if (!href) return;
    event.preventDefault();
    navigate(href);
  });

  // ---------------------------------------------------------------- title bar
  const renderTitleBar = (data: Message) => {
    const title = $("app-title");
    title.textContent = data.title ? String(data.title) : "";
    const actions = $("title-actions");
    actions.textContent = "";
    ((data.actions as ButtonInfo[]) ?? []).forEach((info, index) =>
      actions.append(button(info, () => send({ type: "titleBarAction", index }))),
    );
  };

  // ---------------------------------------------------------------- save bar
  const bar = $("save-bar");
  const renderSaveBar = () => {
    const showing = [...saveBars.values()].find((b) => b.showing);
    bar.hidden = !showing;
    document.body.classList.toggle("has-save-bar", !!showing);
    const actions = $("save-bar-actions");
    actions.textContent = "";
    if (!showing) return;
    const buttons = (showing.buttons as ButtonInfo[]) ?? [];
    // Shopify puts Discard before Save whatever order the app declares them in.
    const ordered = buttons
      .map((info, index) => ({ info, index }))
      .sort((a, b) => +a.info.primary - +b.info.primary);
    for (const { info, index } of ordered) {
      actions.append(
        button({ ...info, label: info.label || (info.primary ? "Save" : "Discard") }, () =>
          send({ type: "saveBarAction", barId: showing.barId, index }),
        ),
      );
    }
  };
  const leaveBlocked = () => {
    bar.classList.remove("shake");
    void bar.offsetWidth;
    bar.classList.add("shake");
    $("save-bar-message").textContent = "Unsaved changes — save or discard them first";
  };

  // ---------------------------------------------------------------- resource picker
  // A modal dialog over the admin, as Shopify's picker: the shop's products, variants or
  // collections with the app's current choice ticked; Select answers with what is ticked (App
  // Bridge's shapes, from the resources endpoint), Cancel with nothing.
  type Resource = {
    id: string;
    title: string;
    displayName?: string;
    product?: { title: string };
    [key: string]: unknown;
  };
  // A variant goes by its display name ("Leather Wallet - Brown"); the only variant of a product
  // without options by the product's title, not "Canvas Tote - Default Title".
  const labelOf = (resource: Resource) =>
    resource.title === "Default Title" && resource.product
      ? resource.product.title
      : (resource.displayName ?? resource.title);
  const pickResources = async (data: Message): Promise<Resource[] | null> => {
    const type =
      data.resourceType === "collection" || data.resourceType === "variant"
        ? data.resourceType
        : "product";
    const all = ((await (await fetch(resourcesUrl)).json()) as Record<string, Resource[]>)[type]!;
    const limit = data.multiple === true ? Infinity : Number(data.multiple) || 1;
    const chosen = new Set((data.selectionIds as string[]) ?? []);
    const dialog = document.createElement("dialog");
    dialog.className = "picker";
    const heading = document.createElement("h2");
    heading.id = "picker-title";
    heading.textContent = `${data.action === "select" ? "Select" : "Add"} ${type}s`;
    dialog.setAttribute("aria-labelledby", heading.id);
    const list = document.createElement("ul");
    const note = document.createElement("p");
    note.className = "muted";
    note.setAttribute("role", "status");
    const select = button({ label: "Select", primary: true, disabled: false, loading: false }, () =>
      close([...chosen].flatMap((id) => all.filter((r) => r.id === id))),
    );
    const refresh = () => {
      const over = chosen.size > limit;
      note.textContent = over ? `Select up to ${limit}` : `${chosen.size} selected`;
      if (over) select.setAttribute("aria-disabled", "true");
      else select.removeAttribute("aria-disabled");
    };
    for (const resource of all) {
      const item = document.createElement("li");
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = limit === 1 ? "radio" : "checkbox";
      box.name = "picker";
      box.checked = chosen.has(resource.id);
      box.addEventListener("change", () => {
        if (limit === 1) chosen.clear();
        if (box.checked) chosen.add(resource.id);
        else chosen.delete(resource.id);
        refresh();
      });
      label.append(box, ` ${labelOf(resource)}`);
      item.append(label);
      list.append(item);
    }
    let close: (value: Resource[] | null) => void = () => {};
    const done = new Promise<Resource[] | null>((resolve) => {
      close = (value) => {
        dialog.remove();
        resolve(value);
      };
    });
    const cancel = button(
      { label: "Cancel", primary: false, disabled: false, loading: false },
      () => close(null),
    );
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      close(null);
    });
    const actions = document.createElement("div");
    actions.className = "actions";
    actions.append(cancel, select);
    dialog.append(heading, list, note, actions);
    document.body.append(dialog);
    refresh();
    dialog.showModal();
    return done;
  };

  // ---------------------------------------------------------------- messages from the app
  addEventListener("message", async (event: MessageEvent<Message>) => {
    if (event.origin !== appOrigin || event.data?.source !== "sandbox-app-bridge") return;
    const data = event.data;
    switch (data.type) {
      case "idToken": {
        const response = await fetch(tokenUrl, { method: "POST" });
        const { token } = (await response.json()) as { token: string };
        send({ replyTo: data.id, token });
        break;
      }
      case "resourcePicker":
        send({ replyTo: data.id, selection: await pickResources(data) });
        break;
      case "toast":
        showToast(data);
        break;
      case "toastHide":
        toasts.querySelector(`[data-toast-id="${CSS.escape(String(data.toastId))}"]`)?.remove();
        break;
      case "navMenu":
        navItems = (data.items as typeof navItems) ?? [];
        renderNav();
        break;
      case "titleBar":
        renderTitleBar(data);
        break;
      case "saveBar":
        saveBars.set(String(data.barId), data);
        if (!data.showing) $("save-bar-message").textContent = "Unsaved changes";
        renderSaveBar();
        break;
      case "saveBarLeave":
        leaveBlocked();
        break;
      case "adminNavigate":
        location.assign(`/admin${String(data.path)}`);
        break;
      case "loading":
        document.body.classList.toggle("is-loading", !!data.on);
        break;
      case "location": {
        currentPath = String(data.path).split("?")[0] ?? "";
        // Like the admin's address bar: reloading the page reopens the app where it was.
        history.replaceState(null, "", `${appBase}${data.path}`);
        renderNav();
        break;
      }
    }
  });
})();

export {};
