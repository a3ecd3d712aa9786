import type { WelcomeRefusal } from "./referrals";
import type { StorefrontLocale } from "./storefront-text";

/**
 * The referral landing page (GET/POST /apps/loyalty/refer/<code>), answered as application/liquid
 * so Shopify renders it inside the shop's theme. Only `shop.name` is left to Liquid; everything
 * else is escaped here, braces included, so a reward or shopper name is never run as Liquid.
 */

export type LandingState =
  /** Not signed in: the code is for an account, so the friend signs in or creates one first. */
  | { kind: "signin" }
  | { kind: "form"; error?: LandingError }
  | { kind: "code"; code: string; applyPath: string; endsAt: Date }
  | { kind: "preparing" }
  | { kind: "invalid" }
  | { kind: "unavailable" };

export type LandingError = "FAILED" | WelcomeRefusal;

interface LandingTexts {
  title: (p: { name: string | null }) => string;
  intro: (p: { offer: string; shop: string }) => string;
  signin: string;
  signIn: string;
  register: string;
  submit: string;
  yourCode: string;
  useBy: (p: { date: string }) => string;
  shop: string;
  preparing: string;
  invalid: string;
  unavailable: string;
  errors: Record<LandingError, string>;
}

const TEXTS: Record<StorefrontLocale, LandingTexts> = {
  en: {
    title: (p) => (p.name ? `A gift from ${p.name}` : "A gift from a friend"),
    intro: (p) => `You're invited to ${p.shop}: ${p.offer} on your first order.`,
    signin: "Sign in or create an account to get your code: it will be yours alone.",
    signIn: "Sign in",
    register: "Create an account",
    submit: "Get my code",
    yourCode: "Your code",
    useBy: (p) => `Use it at checkout by ${p.date}.`,
    shop: "Shop with your code",
    preparing: "Your code is being prepared. Reload this page in a minute.",
    invalid: "This invitation link is not valid.",
    unavailable: "Invitations cannot be used right now. Try again later.",
    errors: {
      SELF_REFERRAL: "This invitation is for your friends: share the link with them.",
      NOT_NEW_CUSTOMER: "This offer is for new customers.",
      TOO_MANY: "This invitation has been used a lot today. Try again tomorrow.",
      FAILED: "We could not create your code. Try again in a minute.",
    },
  },
  fr: {
    title: (p) => (p.name ? `Un cadeau de ${p.name}` : "Un cadeau d’un ami"),
    intro: (p) => `Vous êtes invité chez ${p.shop} : ${p.offer} sur votre première commande.`,
    signin: "Connectez-vous ou créez un compte pour obtenir votre code : il sera à vous seul.",
    signIn: "Se connecter",
    register: "Créer un compte",
    submit: "Obtenir mon code",
    yourCode: "Votre code",
    useBy: (p) => `À utiliser au paiement avant le ${p.date}.`,
    shop: "Acheter avec votre code",
    preparing: "Votre code est en préparation. Rechargez cette page dans une minute.",
    invalid: "Ce lien d’invitation n’est pas valide.",
    unavailable: "Les invitations sont indisponibles pour le moment. Réessayez plus tard.",
    errors: {
      SELF_REFERRAL: "Cette invitation est pour vos amis : partagez-leur le lien.",
      NOT_NEW_CUSTOMER: "Cette offre est réservée aux nouveaux clients.",
      TOO_MANY: "Cette invitation a beaucoup servi aujourd’hui. Réessayez demain.",
      FAILED: "Nous n’avons pas pu créer votre code. Réessayez dans une minute.",
    },
  },
  de: {
    title: (p) => (p.name ? `Ein Geschenk von ${p.name}` : "Ein Geschenk von Freunden"),
    intro: (p) => `Du bist zu ${p.shop} eingeladen: ${p.offer} auf deine erste Bestellung.`,
    signin:
      "Melde dich an oder erstelle ein Konto, um deinen Code zu erhalten: Er gilt nur für dich.",
    signIn: "Anmelden",
    register: "Konto erstellen",
    submit: "Code anfordern",
    yourCode: "Dein Code",
    useBy: (p) => `Gib ihn bis ${p.date} an der Kasse ein.`,
    shop: "Mit deinem Code einkaufen",
    preparing: "Dein Code wird vorbereitet. Lade diese Seite in einer Minute neu.",
    invalid: "Dieser Einladungslink ist ungültig.",
    unavailable: "Einladungen sind gerade nicht verfügbar. Versuche es später erneut.",
    errors: {
      SELF_REFERRAL: "Diese Einladung ist für deine Freunde: Teile den Link mit ihnen.",
      NOT_NEW_CUSTOMER: "Dieses Angebot gilt nur für Neukunden.",
      TOO_MANY: "Diese Einladung wurde heute oft genutzt. Versuche es morgen erneut.",
      FAILED: "Wir konnten deinen Code nicht erstellen. Versuche es in einer Minute erneut.",
    },
  },
  es: {
    title: (p) => (p.name ? `Un regalo de ${p.name}` : "Un regalo de un amigo"),
    intro: (p) => `Te han invitado a ${p.shop}: ${p.offer} en tu primer pedido.`,
    signin: "Inicia sesión o crea una cuenta para obtener tu código: será solo tuyo.",
    signIn: "Iniciar sesión",
    register: "Crear una cuenta",
    submit: "Obtener mi código",
    yourCode: "Tu código",
    useBy: (p) => `Úsalo al pagar antes del ${p.date}.`,
    shop: "Comprar con tu código",
    preparing: "Estamos preparando tu código. Recarga esta página en un minuto.",
    invalid: "Este enlace de invitación no es válido.",
    unavailable: "Las invitaciones no están disponibles ahora. Inténtalo más tarde.",
    errors: {
      SELF_REFERRAL: "Esta invitación es para tus amigos: compárteles el enlace.",
      NOT_NEW_CUSTOMER: "Esta oferta es para clientes nuevos.",
      TOO_MANY: "Esta invitación se ha usado mucho hoy. Inténtalo mañana.",
      FAILED: "No pudimos crear tu código. Inténtalo en un minuto.",
    },
  },
  ja: {
    title: (p) => (p.name ? `${p.name}さんからのギフト` : "お友達からのギフト"),
    intro: (p) => `${p.shop}へのご招待：初回のご注文で${p.offer}。`,
    signin:
      "コードを受け取るには、ログインまたはアカウントを作成してください。コードはあなた専用です。",
    signIn: "ログイン",
    register: "アカウントを作成",
    submit: "コードを受け取る",
    yourCode: "あなたのコード",
    useBy: (p) => `${p.date}までにチェックアウトでご利用ください。`,
    shop: "コードを使って買い物する",
    preparing: "コードを準備しています。1分後にこのページを再読み込みしてください。",
    invalid: "この招待リンクは無効です。",
    unavailable: "現在、招待をご利用いただけません。後でもう一度お試しください。",
    errors: {
      SELF_REFERRAL: "この招待はお友達向けです。リンクをお友達に共有してください。",
      NOT_NEW_CUSTOMER: "この特典は新規のお客様向けです。",
      TOO_MANY: "この招待は本日多く利用されています。明日もう一度お試しください。",
      FAILED: "コードを作成できませんでした。1分後にもう一度お試しください。",
    },
  },
};

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "{": "&#123;",
  "}": "&#125;",
};
/** HTML-escaped, and inert as Liquid: `{{` and `{%` cannot survive as delimiters. */
export function escapeLiquidHtml(text: string): string {
  return text.replace(/[&<>"'{}]/g, (c) => ENTITIES[c]!);
}

const SHOP_MARKER = "\u0000shop\u0000";

export function landingPage(input: {
  state: LandingState;
  locale: StorefrontLocale;
  /** The referrer's first name, if Shopify gave one. */
  referrerName: string | null;
  offer: string;
  /** The form's action: the page's own storefront path. */
  action: string;
}): string {
  const t = TEXTS[input.locale];
  const e = escapeLiquidHtml;
  const { state } = input;
  const heading = `<h1>${e(t.title({ name: input.referrerName }))}</h1>`;
  let body: string;
  switch (state.kind) {
    case "invalid":
      return `<div class="lw-refer">\n<h1>${e(t.invalid)}</h1>\n</div>\n`;
    case "unavailable":
      return `<div class="lw-refer">\n<h1>${e(t.unavailable)}</h1>\n</div>\n`;
    case "preparing":
      body = `<p role="status">${e(t.preparing)}</p>`;
      break;
    case "code": {
      const date = state.endsAt.toLocaleDateString(input.locale, { dateStyle: "long" });
      body = [
        `<p>${e(t.yourCode)}</p>`,
        `<p class="lw-refer-code"><strong data-lw-welcome-code>${e(state.code)}</strong></p>`,
        `<p>${e(t.useBy({ date }))}</p>`,
        `<p><a class="button" href="${e(state.applyPath)}">${e(t.shop)}</a></p>`,
      ].join("\n");
      break;
    }
    case "signin":
      // Liquid's routes: the theme's own account pages, whichever kind of accounts the shop uses.
      body = [
        `<p>${e(t.signin)}</p>`,
        `<p><a class="button" href="{{ routes.account_register_url }}">${e(t.register)}</a>`,
        `<a href="{{ routes.account_login_url }}">${e(t.signIn)}</a></p>`,
      ].join("\n");
      break;
    case "form": {
      const error = state.error ? t.errors[state.error] : null;
      body = [
        error ? `<p class="error" role="alert">${e(error)}</p>` : "",
        `<form method="post" action="${e(input.action)}">`,
        `<button type="submit" class="button">${e(t.submit)}</button>`,
        `</form>`,
      ]
        .filter(Boolean)
        .join("\n");
      break;
    }
  }
  return [
    `<div class="lw-refer">`,
    heading,
    // The shop's name is the one thing Liquid fills in: a marker survives escaping, then becomes it.
    `<p>${e(t.intro({ offer: input.offer, shop: SHOP_MARKER })).replace(SHOP_MARKER, "{{ shop.name | escape }}")}</p>`,
    body,
    `</div>`,
    "",
  ].join("\n");
}
