import type { EarningRule } from "./earning-rules";
import { formatAmount, formatMoney } from "./money";
import { knownTimeZone } from "./time-zones";

/**
 * Text the app writes for shoppers, in every language the storefront widget ships. The widget's
 * own strings live in the theme extension's locale files; these are the ones only the server can
 * build (they carry the program's numbers, order names and reward names).
 */

export const STOREFRONT_LOCALES = ["en", "fr", "de", "es", "ja"] as const;
export type StorefrontLocale = (typeof STOREFRONT_LOCALES)[number];

export function isStorefrontLocale(value: string): value is StorefrontLocale {
  return (STOREFRONT_LOCALES as readonly string[]).includes(value);
}

/**
 * The widget sends Liquid's `request.locale.iso_code` ("fr", "pt-BR", "de-CH"); a regional
 * variant takes its language, anything else English (the language of the admin and the default
 * locale file).
 */
export function storefrontLocale(tag: string | null | undefined): StorefrontLocale {
  const language = (tag ?? "").trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return isStorefrontLocale(language) ? language : "en";
}

/** What produced a ledger entry, stored with it so the shopper reads it in their language. */
export type EntryText =
  | { key: "order"; order: string }
  | { key: "release"; order: string }
  | { key: "refund"; order: string }
  | { key: "cancel"; order: string }
  | { key: "expire"; months: number }
  | { key: "signup" }
  | { key: "redeem"; reward: string }
  | { key: "reissue"; reward: string }
  | { key: "codeFailed" }
  | { key: "codeCancelled"; code: string }
  | { key: "codeExpired"; code: string }
  | { key: "codeUsedAfterReturn"; code: string }
  // Store credit rewards (the reward's amount is in the text: credit carries no code).
  | { key: "creditFailed" }
  | { key: "creditCancelled"; reward: string }
  | { key: "creditFoundAfterReturn"; reward: string }
  // Balances carried over from another program; the admin's description names the file.
  | { key: "import" }
  | { key: "importUndone" }
  // A friend's first order; the friend is not named (the referrer need not know their email).
  | { key: "referral" }
  | { key: "referralReleased" }
  | { key: "referralReversed" }
  | { key: "birthday" }
  | { key: "survey" }
  | { key: "follow"; network: string };

type Params<K extends EntryText["key"]> = Omit<Extract<EntryText, { key: K }>, "key">;
type EntryTexts = { [K in EntryText["key"]]: (p: Params<K>) => string };

// English is also what the admin shows as the entry's description.
const ENTRY_TEXTS: Record<StorefrontLocale, EntryTexts> = {
  en: {
    order: (p) => `Order ${p.order}`,
    release: (p) => `Points from order ${p.order} are now available`,
    refund: (p) => `Refund on order ${p.order}`,
    cancel: (p) => `Order ${p.order} cancelled`,
    expire: (p) =>
      `Points expired after ${p.months} ${p.months === 1 ? "month" : "months"} without activity`,
    signup: () => "Welcome bonus for joining",
    redeem: (p) => `Redeemed ${p.reward}`,
    reissue: (p) => `Redeemed ${p.reward} (issued again by staff)`,
    codeFailed: () => "Points returned: the discount code could not be created",
    codeCancelled: (p) => `Points returned: code ${p.code} cancelled by staff`,
    codeExpired: (p) => `Points returned: code ${p.code} expired unused`,
    codeUsedAfterReturn: (p) =>
      `Points taken again: code ${p.code} was used after its points were returned`,
    creditFailed: () => "Points returned: the store credit could not be added",
    creditCancelled: (p) => `Points returned: ${p.reward} taken back by staff`,
    creditFoundAfterReturn: (p) =>
      `Points taken again: ${p.reward} reached your account after its points were returned`,
    import: () => "Points transferred from our previous rewards program",
    importUndone: () => "Transferred points corrected",
    referral: () => "Referral: a friend placed their first order",
    referralReleased: () => "Referral points are now available",
    referralReversed: () =>
      "Referral points taken back: the friend's order was cancelled or refunded",
    birthday: () => "Happy birthday!",
    survey: () => "Thanks for your feedback",
    follow: (p) => `Followed us on ${p.network}`,
  },
  fr: {
    order: (p) => `Commande ${p.order}`,
    release: (p) => `Les points de la commande ${p.order} sont disponibles`,
    refund: (p) => `Remboursement de la commande ${p.order}`,
    cancel: (p) => `Commande ${p.order} annulée`,
    expire: (p) => `Points expirés après ${p.months} mois sans activité`,
    signup: () => "Bonus de bienvenue",
    redeem: (p) => `Échangés contre ${p.reward}`,
    reissue: (p) => `Échangés contre ${p.reward} (code émis à nouveau)`,
    codeFailed: () => "Points rendus : le code de réduction n’a pas pu être créé",
    codeCancelled: (p) => `Points rendus : code ${p.code} annulé par la boutique`,
    codeExpired: (p) => `Points rendus : code ${p.code} expiré sans être utilisé`,
    codeUsedAfterReturn: (p) =>
      `Points repris : le code ${p.code} a été utilisé après le retour des points`,
    creditFailed: () => "Points rendus : l’avoir n’a pas pu être ajouté",
    creditCancelled: (p) => `Points rendus : ${p.reward} repris par la boutique`,
    creditFoundAfterReturn: (p) =>
      `Points repris : ${p.reward} est arrivé sur votre compte après le retour de ses points`,
    import: () => "Points transférés de notre ancien programme de fidélité",
    importUndone: () => "Correction des points transférés",
    referral: () => "Parrainage : un ami a passé sa première commande",
    referralReleased: () => "Les points de parrainage sont disponibles",
    referralReversed: () =>
      "Points de parrainage repris : la commande de l’ami a été annulée ou remboursée",
    birthday: () => "Joyeux anniversaire !",
    survey: () => "Merci pour votre avis",
    follow: (p) => `Abonnement à notre page ${p.network}`,
  },
  de: {
    order: (p) => `Bestellung ${p.order}`,
    release: (p) => `Punkte aus Bestellung ${p.order} sind jetzt verfügbar`,
    refund: (p) => `Erstattung für Bestellung ${p.order}`,
    cancel: (p) => `Bestellung ${p.order} storniert`,
    expire: (p) =>
      `Punkte nach ${p.months} ${p.months === 1 ? "Monat" : "Monaten"} ohne Aktivität verfallen`,
    signup: () => "Willkommensbonus",
    redeem: (p) => `Eingelöst: ${p.reward}`,
    reissue: (p) => `Eingelöst: ${p.reward} (Code neu ausgestellt)`,
    codeFailed: () => "Punkte zurückgegeben: Der Rabattcode konnte nicht erstellt werden",
    codeCancelled: (p) => `Punkte zurückgegeben: Code ${p.code} vom Shop storniert`,
    codeExpired: (p) => `Punkte zurückgegeben: Code ${p.code} ungenutzt abgelaufen`,
    codeUsedAfterReturn: (p) =>
      `Punkte erneut abgezogen: Code ${p.code} wurde nach der Rückgabe der Punkte verwendet`,
    creditFailed: () => "Punkte zurückgegeben: Das Guthaben konnte nicht gutgeschrieben werden",
    creditCancelled: (p) => `Punkte zurückgegeben: ${p.reward} vom Shop zurückgenommen`,
    creditFoundAfterReturn: (p) =>
      `Punkte erneut abgezogen: ${p.reward} wurde nach der Rückgabe der Punkte gutgeschrieben`,
    import: () => "Punkte aus unserem bisherigen Prämienprogramm übernommen",
    importUndone: () => "Korrektur übernommener Punkte",
    referral: () => "Empfehlung: Eine Freundin oder ein Freund hat zum ersten Mal bestellt",
    referralReleased: () => "Empfehlungspunkte sind jetzt verfügbar",
    referralReversed: () =>
      "Empfehlungspunkte zurückgenommen: Die Bestellung wurde storniert oder erstattet",
    birthday: () => "Alles Gute zum Geburtstag!",
    survey: () => "Danke für dein Feedback",
    follow: (p) => `Uns auf ${p.network} gefolgt`,
  },
  es: {
    order: (p) => `Pedido ${p.order}`,
    release: (p) => `Los puntos del pedido ${p.order} ya están disponibles`,
    refund: (p) => `Reembolso del pedido ${p.order}`,
    cancel: (p) => `Pedido ${p.order} cancelado`,
    expire: (p) =>
      `Puntos caducados tras ${p.months} ${p.months === 1 ? "mes" : "meses"} sin actividad`,
    signup: () => "Bono de bienvenida",
    redeem: (p) => `Canjeado: ${p.reward}`,
    reissue: (p) => `Canjeado: ${p.reward} (código emitido de nuevo)`,
    codeFailed: () => "Puntos devueltos: no se pudo crear el código de descuento",
    codeCancelled: (p) => `Puntos devueltos: la tienda canceló el código ${p.code}`,
    codeExpired: (p) => `Puntos devueltos: el código ${p.code} caducó sin usarse`,
    codeUsedAfterReturn: (p) =>
      `Puntos descontados de nuevo: el código ${p.code} se usó después de devolver los puntos`,
    creditFailed: () => "Puntos devueltos: no se pudo añadir el saldo a favor",
    creditCancelled: (p) => `Puntos devueltos: la tienda retiró ${p.reward}`,
    creditFoundAfterReturn: (p) =>
      `Puntos descontados de nuevo: ${p.reward} llegó a tu cuenta después de devolverse los puntos`,
    import: () => "Puntos transferidos de nuestro programa de recompensas anterior",
    importUndone: () => "Corrección de puntos transferidos",
    referral: () => "Recomendación: un amigo hizo su primer pedido",
    referralReleased: () => "Los puntos por recomendación ya están disponibles",
    referralReversed: () =>
      "Puntos por recomendación retirados: el pedido del amigo se canceló o reembolsó",
    birthday: () => "¡Feliz cumpleaños!",
    survey: () => "Gracias por tu opinión",
    follow: (p) => `Nos sigues en ${p.network}`,
  },
  ja: {
    order: (p) => `注文 ${p.order}`,
    release: (p) => `注文 ${p.order} のポイントが利用可能になりました`,
    refund: (p) => `注文 ${p.order} の返金`,
    cancel: (p) => `注文 ${p.order} のキャンセル`,
    expire: (p) => `${p.months}か月間ご利用がなかったためポイントが失効しました`,
    signup: () => "入会ボーナス",
    redeem: (p) => `${p.reward} と交換`,
    reissue: (p) => `${p.reward} と交換（コード再発行）`,
    codeFailed: () => "ポイント返還：割引コードを作成できませんでした",
    codeCancelled: (p) => `ポイント返還：コード ${p.code} はストアによりキャンセルされました`,
    codeExpired: (p) => `ポイント返還：コード ${p.code} は未使用のまま期限切れになりました`,
    codeUsedAfterReturn: (p) => `ポイント再差し引き：返還後にコード ${p.code} が使用されました`,
    creditFailed: () => "ポイント返還：ストアクレジットを追加できませんでした",
    creditCancelled: (p) => `ポイント返還：${p.reward} はストアにより取り消されました`,
    creditFoundAfterReturn: (p) =>
      `ポイント再差し引き：ポイント返還後に ${p.reward} がアカウントに追加されました`,
    import: () => "以前のリワードプログラムから移行したポイント",
    importUndone: () => "移行ポイントの修正",
    referral: () => "紹介：お友達が初めて注文しました",
    referralReleased: () => "紹介ポイントが利用可能になりました",
    referralReversed: () => "紹介ポイントの取り消し：お友達の注文がキャンセルまたは返金されました",
    birthday: () => "お誕生日おめでとうございます！",
    survey: () => "ご意見ありがとうございます",
    follow: (p) => `${p.network}のフォロー`,
  },
};

export function entryText(text: EntryText, locale: StorefrontLocale = "en"): string {
  const render = ENTRY_TEXTS[locale][text.key] as (p: EntryText) => string;
  return render(text);
}

// The parameters each text reads: a stored text missing one would print "undefined".
const ENTRY_PARAMS: Record<
  EntryText["key"],
  readonly ("order" | "reward" | "code" | "months" | "network")[]
> = {
  order: ["order"],
  release: ["order"],
  refund: ["order"],
  cancel: ["order"],
  expire: ["months"],
  signup: [],
  redeem: ["reward"],
  reissue: ["reward"],
  codeFailed: [],
  codeCancelled: ["code"],
  creditFailed: [],
  creditCancelled: ["reward"],
  creditFoundAfterReturn: ["reward"],
  codeExpired: ["code"],
  codeUsedAfterReturn: ["code"],
  import: [],
  importUndone: [],
  referral: [],
  referralReleased: [],
  referralReversed: [],
  birthday: [],
  survey: [],
  follow: ["network"],
};

/** Reads an entry's stored text back; null for entries written before texts were stored. */
export function parseEntryText(value: unknown): EntryText | null {
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const text = value as Record<string, unknown>;
  const key = text.key;
  if (typeof key !== "string" || !Object.hasOwn(ENTRY_PARAMS, key)) return null;
  const valid = ENTRY_PARAMS[key as EntryText["key"]].every((field) =>
    field === "months" ? Number.isInteger(text[field]) : typeof text[field] === "string",
  );
  return valid ? (text as EntryText) : null;
}

// A type, not an interface: it is stored in a Json column and must be a plain JSON object type.
export type PointsName = { one: string; other: string };

/** Each widget language's own word, used until the merchant names points themselves. */
export const DEFAULT_POINTS_NAMES: Record<StorefrontLocale, PointsName> = {
  en: { one: "point", other: "points" },
  fr: { one: "point", other: "points" },
  de: { one: "Punkt", other: "Punkte" },
  es: { one: "punto", other: "puntos" },
  ja: { one: "ポイント", other: "ポイント" },
};

export type PointsNames = Partial<Record<StorefrontLocale, PointsName>>;

/** The per-language names stored on the program, dropping anything malformed. */
export function parsePointsNames(value: unknown): PointsNames {
  const names: PointsNames = {};
  if (!value || typeof value !== "object" || Array.isArray(value)) return names;
  for (const [locale, name] of Object.entries(value)) {
    if (!isStorefrontLocale(locale) || !name || typeof name !== "object") continue;
    const { one, other } = name as Record<string, unknown>;
    if (typeof other !== "string" || !other.trim()) continue;
    names[locale] = { one: typeof one === "string" && one.trim() ? one : other, other };
  }
  return names;
}

/**
 * What points are called for a shopper reading `locale`: the merchant's name for that language;
 * else their main name, unless it is still the English default, which each language replaces
 * with its own word (a German shopper reads "Punkte", not "points").
 */
export function pointsNameFor(
  program: { pointsNameOne: string; pointsNameOther: string; pointsNames?: unknown },
  locale: StorefrontLocale,
): PointsName {
  const own = parsePointsNames(program.pointsNames)[locale];
  if (own) return own;
  const main = { one: program.pointsNameOne, other: program.pointsNameOther };
  const isDefault =
    main.one === DEFAULT_POINTS_NAMES.en.one && main.other === DEFAULT_POINTS_NAMES.en.other;
  return isDefault ? DEFAULT_POINTS_NAMES[locale] : main;
}

/** "1,234 points" / "1 234 points" / "1.234 Punkte", with the plural the language asks for. */
export function formatPoints(points: number, name: PointsName, locale: StorefrontLocale): string {
  const unit = new Intl.PluralRules(locale).select(points) === "one" ? name.one : name.other;
  return `${points.toLocaleString(locale)} ${unit}`;
}

interface WayTexts {
  orderTitle: string;
  orderDescription: (p: { points: string; amount: string }) => string;
  signupTitle: string;
  signupDescription: (p: { points: string }) => string;
  campaignMultiplier: (p: { multiplier: string; until: string }) => string;
  campaignBonus: (p: { points: string; until: string }) => string;
  campaignBonusMinimum: (p: { points: string; amount: string; until: string }) => string;
  /** A campaign on some products or collections: its description, limited. */
  selectedProducts: (description: string) => string;
  /** A campaign's bonus whose minimum counts the spend on its products alone. */
  campaignBonusMinimumProducts: (p: { points: string; amount: string; until: string }) => string;
  followTitle: (p: { network: string }) => string;
  followDescription: (p: { points: string }) => string;
  surveyTitle: string;
  surveyDescription: (p: { points: string }) => string;
  birthdayTitle: string;
  birthdayDescription: (p: { points: string }) => string;
  referralTitle: string;
  referralDescription: (p: { points: string; offer: string }) => string;
  processing: string;
  /** A store credit reward, once Shopify has credited it. */
  credited: (p: { amount: string; until: string | null }) => string;
}

const WAY_TEXTS: Record<StorefrontLocale, WayTexts> = {
  en: {
    orderTitle: "Place an order",
    orderDescription: (p) => `${p.points} for every ${p.amount} spent`,
    signupTitle: "Create an account",
    signupDescription: (p) => `${p.points} when you join`,
    campaignMultiplier: (p) => `${p.multiplier}× points on orders until ${p.until}`,
    campaignBonus: (p) => `${p.points} extra on every order until ${p.until}`,
    campaignBonusMinimum: (p) =>
      `${p.points} extra on orders of ${p.amount} or more until ${p.until}`,
    selectedProducts: (d) => `${d} (selected products only)`,
    campaignBonusMinimumProducts: (p) =>
      `${p.points} extra when you spend ${p.amount} on selected products, until ${p.until}`,
    followTitle: (p) => `Follow us on ${p.network}`,
    followDescription: (p) =>
      `${p.points}, once, when you open our page from here (we cannot check follows)`,
    surveyTitle: "Tell us what you think",
    surveyDescription: (p) => `${p.points} for answering our short survey`,
    birthdayTitle: "Celebrate your birthday",
    birthdayDescription: (p) => `${p.points} on your birthday`,
    referralTitle: "Refer a friend",
    referralDescription: (p) =>
      `${p.points} when a friend you refer places their first order. They get: ${p.offer}`,
    processing: "Your reward is being prepared. This can take a minute.",
    credited: (p) =>
      `${p.amount} store credit is on your account. It is applied at checkout when you are signed in.${p.until ? ` Use it by ${p.until}.` : ""}`,
  },
  fr: {
    orderTitle: "Passer une commande",
    orderDescription: (p) => `${p.points} pour chaque tranche de ${p.amount} dépensée`,
    signupTitle: "Créer un compte",
    signupDescription: (p) => `${p.points} à l’inscription`,
    campaignMultiplier: (p) => `Points × ${p.multiplier} sur vos commandes jusqu’au ${p.until}`,
    campaignBonus: (p) => `${p.points} en plus sur chaque commande jusqu’au ${p.until}`,
    campaignBonusMinimum: (p) =>
      `${p.points} en plus sur les commandes d’au moins ${p.amount} jusqu’au ${p.until}`,
    selectedProducts: (d) => `${d} (produits sélectionnés uniquement)`,
    campaignBonusMinimumProducts: (p) =>
      `${p.points} en plus dès ${p.amount} d’achats de produits sélectionnés, jusqu’au ${p.until}`,
    followTitle: (p) => `Suivez-nous sur ${p.network}`,
    followDescription: (p) =>
      `${p.points}, une fois, en ouvrant notre page d’ici (nous ne pouvons pas vérifier l’abonnement)`,
    surveyTitle: "Donnez-nous votre avis",
    surveyDescription: (p) => `${p.points} pour notre court questionnaire`,
    birthdayTitle: "Fêtez votre anniversaire",
    birthdayDescription: (p) => `${p.points} le jour de votre anniversaire`,
    referralTitle: "Parrainez un ami",
    referralDescription: (p) =>
      `${p.points} quand un ami parrainé passe sa première commande. Il reçoit : ${p.offer}`,
    processing: "Votre récompense est en cours de préparation. Cela peut prendre une minute.",
    credited: (p) =>
      `Un avoir de ${p.amount} a été ajouté à votre compte. Il s’applique au paiement lorsque vous êtes connecté.${p.until ? ` À utiliser avant le ${p.until}.` : ""}`,
  },
  de: {
    orderTitle: "Bestellung aufgeben",
    orderDescription: (p) => `${p.points} für je ${p.amount} Einkaufswert`,
    signupTitle: "Konto erstellen",
    signupDescription: (p) => `${p.points} bei der Anmeldung`,
    campaignMultiplier: (p) => `${p.multiplier}-fache Punkte auf Bestellungen bis ${p.until}`,
    campaignBonus: (p) => `${p.points} extra auf jede Bestellung bis ${p.until}`,
    campaignBonusMinimum: (p) => `${p.points} extra auf Bestellungen ab ${p.amount} bis ${p.until}`,
    selectedProducts: (d) => `${d} (nur ausgewählte Produkte)`,
    campaignBonusMinimumProducts: (p) =>
      `${p.points} extra ab ${p.amount} Einkauf ausgewählter Produkte bis ${p.until}`,
    followTitle: (p) => `Folge uns auf ${p.network}`,
    followDescription: (p) =>
      `${p.points}, einmalig, wenn du unsere Seite von hier öffnest (wir können das Folgen nicht prüfen)`,
    surveyTitle: "Sag uns deine Meinung",
    surveyDescription: (p) => `${p.points} für unsere kurze Umfrage`,
    birthdayTitle: "Geburtstag feiern",
    birthdayDescription: (p) => `${p.points} an deinem Geburtstag`,
    referralTitle: "Freunde empfehlen",
    referralDescription: (p) =>
      `${p.points}, wenn eine empfohlene Person zum ersten Mal bestellt. Sie erhält: ${p.offer}`,
    processing: "Deine Prämie wird vorbereitet. Das kann eine Minute dauern.",
    credited: (p) =>
      `${p.amount} Guthaben wurde deinem Konto gutgeschrieben. Es wird an der Kasse angerechnet, wenn du angemeldet bist.${p.until ? ` Gültig bis ${p.until}.` : ""}`,
  },
  es: {
    orderTitle: "Realizar un pedido",
    orderDescription: (p) => `${p.points} por cada ${p.amount} de compra`,
    signupTitle: "Crear una cuenta",
    signupDescription: (p) => `${p.points} al registrarte`,
    campaignMultiplier: (p) => `Puntos × ${p.multiplier} en tus pedidos hasta el ${p.until}`,
    campaignBonus: (p) => `${p.points} extra en cada pedido hasta el ${p.until}`,
    campaignBonusMinimum: (p) =>
      `${p.points} extra en pedidos de ${p.amount} o más hasta el ${p.until}`,
    selectedProducts: (d) => `${d} (solo productos seleccionados)`,
    campaignBonusMinimumProducts: (p) =>
      `${p.points} extra al gastar ${p.amount} en productos seleccionados, hasta el ${p.until}`,
    followTitle: (p) => `Síguenos en ${p.network}`,
    followDescription: (p) =>
      `${p.points}, una vez, al abrir nuestra página desde aquí (no podemos comprobar que nos sigues)`,
    surveyTitle: "Danos tu opinión",
    surveyDescription: (p) => `${p.points} por responder nuestra breve encuesta`,
    birthdayTitle: "Celebra tu cumpleaños",
    birthdayDescription: (p) => `${p.points} el día de tu cumpleaños`,
    referralTitle: "Recomienda a un amigo",
    referralDescription: (p) =>
      `${p.points} cuando un amigo que recomiendes haga su primer pedido. Recibe: ${p.offer}`,
    processing: "Tu recompensa se está preparando. Esto puede tardar un minuto.",
    credited: (p) =>
      `Hemos añadido ${p.amount} de saldo a favor a tu cuenta. Se aplica al pagar si has iniciado sesión.${p.until ? ` Úsalo antes del ${p.until}.` : ""}`,
  },
  ja: {
    orderTitle: "注文する",
    orderDescription: (p) => `${p.amount}のお買い物ごとに${p.points}`,
    signupTitle: "アカウントを作成",
    signupDescription: (p) => `登録時に${p.points}`,
    campaignMultiplier: (p) => `${p.until}まで、ご注文のポイントが${p.multiplier}倍`,
    campaignBonus: (p) => `${p.until}まで、ご注文ごとに${p.points}を追加`,
    campaignBonusMinimum: (p) => `${p.until}まで、${p.amount}以上のご注文で${p.points}を追加`,
    selectedProducts: (d) => `${d}（対象商品のみ）`,
    campaignBonusMinimumProducts: (p) =>
      `${p.until}まで、対象商品を${p.amount}以上ご購入で${p.points}を追加`,
    followTitle: (p) => `${p.network}でフォロー`,
    followDescription: (p) => `ここからページを開くと1回${p.points}（フォローの確認はできません）`,
    surveyTitle: "ご意見をお聞かせください",
    surveyDescription: (p) => `簡単なアンケートへの回答で${p.points}`,
    birthdayTitle: "お誕生日",
    birthdayDescription: (p) => `お誕生日に${p.points}`,
    referralTitle: "お友達を紹介",
    referralDescription: (p) =>
      `紹介したお友達が初めて注文すると${p.points}。お友達には：${p.offer}`,
    processing: "特典を準備しています。1分ほどかかる場合があります。",
    credited: (p) =>
      `${p.amount}のストアクレジットがアカウントに追加されました。ログインしてチェックアウトすると適用されます。${p.until ? `有効期限: ${p.until}` : ""}`,
  },
};

export interface WayToEarn {
  id: "order" | "signup" | "campaign" | "referral" | "birthday" | "survey" | "follow";
  title: string;
  points: number;
  description: string;
  /** A campaign's end (exclusive), ISO 8601. */
  endsAt?: string;
}

/** When a campaign ends, in the shopper's language and the shop's time zone. */
function untilText(endsAt: Date, locale: StorefrontLocale, timeZone: string): string {
  return endsAt.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short", timeZone });
}

/**
 * The widget's "Ways to earn" list in the shopper's language, one entry per earning rule that is
 * a way to earn. A rule kind added to the union does not compile until it is decided here.
 */
export function waysToEarn(
  rules: readonly EarningRule[],
  shop: {
    currency: string;
    pointsNameOne: string;
    pointsNameOther: string;
    pointsNames?: unknown;
    timeZone?: string | null;
  },
  locale: StorefrontLocale,
): WayToEarn[] {
  const texts = WAY_TEXTS[locale];
  const name = pointsNameFor(shop, locale);
  const timeZone = knownTimeZone(shop.timeZone);
  const ways: WayToEarn[] = [];
  for (const rule of rules) {
    const limited = (description: string) =>
      "products" in rule && rule.products ? texts.selectedProducts(description) : description;
    switch (rule.kind) {
      case "ORDER_SPEND":
        ways.push({
          id: "order",
          title: texts.orderTitle,
          points: rule.earnPoints,
          description: texts.orderDescription({
            points: formatPoints(rule.earnPoints, name, locale),
            amount: formatAmount(rule.perAmount, shop.currency, locale),
          }),
        });
        break;
      case "SIGNUP_BONUS":
        if (rule.points > 0) {
          ways.push({
            id: "signup",
            title: texts.signupTitle,
            points: rule.points,
            description: texts.signupDescription({
              points: formatPoints(rule.points, name, locale),
            }),
          });
        }
        break;
      case "TIER_MULTIPLIER":
        break; // a tier's perk: the widget shows it with the member's tier
      case "BONUS_ACTION":
        break; // what earns them is the merchant's automation: the app cannot name it
      case "CAMPAIGN_MULTIPLIER":
        ways.push({
          id: "campaign",
          title: rule.campaign,
          points: 0,
          description: limited(
            texts.campaignMultiplier({
              multiplier: (rule.multiplierPercent / 100).toLocaleString(locale),
              until: untilText(rule.endsAt, locale, timeZone),
            }),
          ),
          endsAt: rule.endsAt.toISOString(),
        });
        break;
      case "CAMPAIGN_BONUS": {
        const until = untilText(rule.endsAt, locale, timeZone);
        const points = formatPoints(rule.points, name, locale);
        ways.push({
          id: "campaign",
          title: rule.campaign,
          points: rule.points,
          description:
            rule.minimumMinor > 1
              ? (rule.products ? texts.campaignBonusMinimumProducts : texts.campaignBonusMinimum)({
                  points,
                  amount: formatMoney(rule.minimumMinor, shop.currency, locale),
                  until,
                })
              : limited(texts.campaignBonus({ points, until })),
          endsAt: rule.endsAt.toISOString(),
        });
        break;
      }
      case "SOCIAL_FOLLOW":
        ways.push({
          id: "follow",
          title: texts.followTitle({ network: rule.label }),
          points: rule.points,
          description: texts.followDescription({
            points: formatPoints(rule.points, name, locale),
          }),
        });
        break;
      case "SURVEY":
        ways.push({
          id: "survey",
          title: texts.surveyTitle,
          points: rule.points,
          description: texts.surveyDescription({
            points: formatPoints(rule.points, name, locale),
          }),
        });
        break;
      case "BIRTHDAY":
        ways.push({
          id: "birthday",
          title: texts.birthdayTitle,
          points: rule.points,
          description: texts.birthdayDescription({
            points: formatPoints(rule.points, name, locale),
          }),
        });
        break;
      case "REFERRAL":
        ways.push({
          id: "referral",
          title: texts.referralTitle,
          points: rule.points,
          description: texts.referralDescription({
            points: formatPoints(rule.points, name, locale),
            offer: rule.offer,
          }),
        });
        break;
      default: {
        const undecided: never = rule;
        throw new Error(`No way to earn for ${JSON.stringify(undecided)}`);
      }
    }
  }
  return ways;
}

/** What the widget says while a reward's code is still being created. */
export function processingMessage(locale: StorefrontLocale): string {
  return WAY_TEXTS[locale].processing;
}

/** What the widget says once a store credit reward is on the shopper's account. */
export function creditedMessage(
  locale: StorefrontLocale,
  credit: { amount: string; currency: string; expiresAt: Date | null; timeZone: string },
): string {
  return WAY_TEXTS[locale].credited({
    amount: formatAmount(credit.amount, credit.currency, locale),
    until: credit.expiresAt && untilText(credit.expiresAt, locale, credit.timeZone),
  });
}

/** Why the app refused a shopper's request; the widget shows `message` for codes it lacks. */
export type ShopperErrorCode =
  | "PROGRAM_PAUSED"
  | "NOT_A_MEMBER"
  | "REWARD_NOT_FOUND"
  | "REWARD_DISABLED"
  | "TIER_REQUIRED"
  | "INSUFFICIENT_POINTS"
  | "RATE_LIMITED"
  | "CODE_NOT_CREATED"
  | "CREDIT_NOT_ADDED"
  | "CREDIT_PENDING"
  | "NOT_LOGGED_IN"
  | "INVALID_REQUEST"
  | "STORE_NOT_CONNECTED"
  | "TRY_AGAIN"
  | "NOT_FOUND"
  | "INVALID_BIRTHDAY"
  | "BIRTHDAY_OFF"
  | "INVALID_ANSWER"
  | "SURVEY_OFF"
  | "ALREADY_ANSWERED"
  | "UNKNOWN_NETWORK";

const SHOPPER_ERRORS: Record<StorefrontLocale, Record<ShopperErrorCode, string>> = {
  en: {
    PROGRAM_PAUSED: "The rewards program is paused right now. Your points are safe.",
    NOT_A_MEMBER: "You have no points yet. Place an order to start earning.",
    REWARD_NOT_FOUND: "This reward is no longer available.",
    REWARD_DISABLED: "This reward is not available right now.",
    TIER_REQUIRED: "This reward is for members of a higher tier.",
    INSUFFICIENT_POINTS: "You don't have enough points for this reward yet.",
    RATE_LIMITED: "You've redeemed several rewards in the last hour. Please try again later.",
    CODE_NOT_CREATED:
      "We couldn't create your discount code. Your points have been returned — please try again.",
    CREDIT_NOT_ADDED:
      "We couldn't add your store credit. Your points have been returned — please try again.",
    CREDIT_PENDING: "Your earlier store credit is still being added. Please try again in a minute.",
    NOT_LOGGED_IN: "Sign in to redeem your points.",
    INVALID_REQUEST: "Choose a reward to redeem.",
    STORE_NOT_CONNECTED: "Rewards are unavailable right now. Please try again later.",
    TRY_AGAIN: "We're busy right now. Please try again in a moment.",
    NOT_FOUND: "This reward was not found.",
    INVALID_BIRTHDAY: "Choose a month and a day of it.",
    BIRTHDAY_OFF: "Birthday points are not available right now.",
    INVALID_ANSWER: "Choose a score from 0 to 10; a comment may have up to 1,000 characters.",
    SURVEY_OFF: "The survey is not available right now.",
    ALREADY_ANSWERED: "Thanks, you have already answered. We will ask again later.",
    UNKNOWN_NETWORK: "This page is not part of the rewards program any more.",
  },
  fr: {
    PROGRAM_PAUSED: "Le programme de fidélité est en pause. Vos points sont conservés.",
    NOT_A_MEMBER: "Vous n’avez pas encore de points. Passez une commande pour commencer.",
    REWARD_NOT_FOUND: "Cette récompense n’est plus disponible.",
    REWARD_DISABLED: "Cette récompense n’est pas disponible pour le moment.",
    TIER_REQUIRED: "Cette récompense est réservée à un niveau supérieur.",
    INSUFFICIENT_POINTS: "Vous n’avez pas encore assez de points pour cette récompense.",
    RATE_LIMITED:
      "Vous avez échangé plusieurs récompenses au cours de la dernière heure. Réessayez plus tard.",
    CODE_NOT_CREATED:
      "Nous n’avons pas pu créer votre code de réduction. Vos points ont été rendus — réessayez.",
    CREDIT_NOT_ADDED:
      "Nous n’avons pas pu ajouter votre avoir. Vos points ont été rendus — réessayez.",
    CREDIT_PENDING: "Votre avoir précédent est encore en cours d’ajout. Réessayez dans une minute.",
    NOT_LOGGED_IN: "Connectez-vous pour utiliser vos points.",
    INVALID_REQUEST: "Choisissez une récompense.",
    STORE_NOT_CONNECTED: "Les récompenses sont indisponibles pour le moment. Réessayez plus tard.",
    TRY_AGAIN: "Nous sommes très sollicités. Réessayez dans un instant.",
    NOT_FOUND: "Cette récompense est introuvable.",
    INVALID_BIRTHDAY: "Choisissez un mois et un jour de ce mois.",
    BIRTHDAY_OFF: "Les points d’anniversaire ne sont pas disponibles pour le moment.",
    INVALID_ANSWER:
      "Choisissez une note de 0 à 10 ; le commentaire peut compter jusqu’à 1 000 caractères.",
    SURVEY_OFF: "Le questionnaire n’est pas disponible pour le moment.",
    ALREADY_ANSWERED: "Merci, vous avez déjà répondu. Nous vous le redemanderons plus tard.",
    UNKNOWN_NETWORK: "Cette page ne fait plus partie du programme de fidélité.",
  },
  de: {
    PROGRAM_PAUSED: "Das Prämienprogramm ist pausiert. Deine Punkte bleiben erhalten.",
    NOT_A_MEMBER: "Du hast noch keine Punkte. Bestelle, um Punkte zu sammeln.",
    REWARD_NOT_FOUND: "Diese Prämie ist nicht mehr verfügbar.",
    REWARD_DISABLED: "Diese Prämie ist gerade nicht verfügbar.",
    TIER_REQUIRED: "Diese Prämie ist Mitgliedern einer höheren Stufe vorbehalten.",
    INSUFFICIENT_POINTS: "Du hast noch nicht genug Punkte für diese Prämie.",
    RATE_LIMITED:
      "Du hast in der letzten Stunde mehrere Prämien eingelöst. Bitte versuche es später erneut.",
    CODE_NOT_CREATED:
      "Dein Rabattcode konnte nicht erstellt werden. Deine Punkte wurden zurückgebucht – bitte versuche es erneut.",
    CREDIT_NOT_ADDED:
      "Dein Guthaben konnte nicht gutgeschrieben werden. Deine Punkte wurden zurückgebucht – bitte versuche es erneut.",
    CREDIT_PENDING:
      "Dein vorheriges Guthaben wird noch gutgeschrieben. Bitte versuche es in einer Minute erneut.",
    NOT_LOGGED_IN: "Melde dich an, um deine Punkte einzulösen.",
    INVALID_REQUEST: "Wähle eine Prämie aus.",
    STORE_NOT_CONNECTED: "Prämien sind gerade nicht verfügbar. Bitte versuche es später erneut.",
    TRY_AGAIN: "Gerade ist viel los. Bitte versuche es gleich noch einmal.",
    NOT_FOUND: "Diese Prämie wurde nicht gefunden.",
    INVALID_BIRTHDAY: "Wähle einen Monat und einen Tag dieses Monats.",
    BIRTHDAY_OFF: "Geburtstagspunkte sind gerade nicht verfügbar.",
    INVALID_ANSWER:
      "Wähle eine Bewertung von 0 bis 10; ein Kommentar darf bis zu 1.000 Zeichen lang sein.",
    SURVEY_OFF: "Die Umfrage ist gerade nicht verfügbar.",
    ALREADY_ANSWERED: "Danke, du hast schon geantwortet. Wir fragen später wieder.",
    UNKNOWN_NETWORK: "Diese Seite gehört nicht mehr zum Prämienprogramm.",
  },
  es: {
    PROGRAM_PAUSED: "El programa de recompensas está en pausa. Tus puntos están a salvo.",
    NOT_A_MEMBER: "Aún no tienes puntos. Haz un pedido para empezar a ganarlos.",
    REWARD_NOT_FOUND: "Esta recompensa ya no está disponible.",
    REWARD_DISABLED: "Esta recompensa no está disponible en este momento.",
    TIER_REQUIRED: "Esta recompensa es para miembros de un nivel superior.",
    INSUFFICIENT_POINTS: "Aún no tienes suficientes puntos para esta recompensa.",
    RATE_LIMITED: "Has canjeado varias recompensas en la última hora. Inténtalo más tarde.",
    CODE_NOT_CREATED:
      "No pudimos crear tu código de descuento. Te hemos devuelto los puntos; inténtalo de nuevo.",
    CREDIT_NOT_ADDED:
      "No pudimos añadir tu saldo a favor. Te hemos devuelto los puntos; inténtalo de nuevo.",
    CREDIT_PENDING:
      "Todavía estamos añadiendo tu saldo a favor anterior. Inténtalo de nuevo en un minuto.",
    NOT_LOGGED_IN: "Inicia sesión para canjear tus puntos.",
    INVALID_REQUEST: "Elige una recompensa.",
    STORE_NOT_CONNECTED: "Las recompensas no están disponibles ahora. Inténtalo más tarde.",
    TRY_AGAIN: "Hay mucha actividad ahora mismo. Inténtalo de nuevo en un momento.",
    NOT_FOUND: "No se encontró esta recompensa.",
    INVALID_BIRTHDAY: "Elige un mes y un día de ese mes.",
    BIRTHDAY_OFF: "Los puntos de cumpleaños no están disponibles ahora.",
    INVALID_ANSWER:
      "Elige una puntuación de 0 a 10; el comentario puede tener hasta 1000 caracteres.",
    SURVEY_OFF: "La encuesta no está disponible ahora.",
    ALREADY_ANSWERED: "Gracias, ya has respondido. Te lo volveremos a preguntar más adelante.",
    UNKNOWN_NETWORK: "Esta página ya no forma parte del programa de recompensas.",
  },
  ja: {
    PROGRAM_PAUSED: "リワードプログラムは現在一時停止中です。ポイントはそのまま保持されます。",
    NOT_A_MEMBER: "まだポイントがありません。ご注文でポイントを貯めましょう。",
    REWARD_NOT_FOUND: "この特典はご利用いただけなくなりました。",
    REWARD_DISABLED: "この特典は現在ご利用いただけません。",
    TIER_REQUIRED: "この特典は上位ランクの会員様限定です。",
    INSUFFICIENT_POINTS: "この特典に必要なポイントがまだ足りません。",
    RATE_LIMITED: "この1時間に複数の特典を交換しました。しばらくしてからもう一度お試しください。",
    CODE_NOT_CREATED:
      "割引コードを作成できませんでした。ポイントは返還されました。もう一度お試しください。",
    CREDIT_NOT_ADDED:
      "ストアクレジットを追加できませんでした。ポイントは返還されました。もう一度お試しください。",
    CREDIT_PENDING:
      "前回のストアクレジットを追加しています。1分ほどしてからもう一度お試しください。",
    NOT_LOGGED_IN: "ポイントを使うにはログインしてください。",
    INVALID_REQUEST: "特典を選択してください。",
    STORE_NOT_CONNECTED: "現在特典をご利用いただけません。しばらくしてからお試しください。",
    TRY_AGAIN: "ただいま混み合っています。少し待ってからもう一度お試しください。",
    NOT_FOUND: "この特典は見つかりませんでした。",
    INVALID_BIRTHDAY: "月と日を選択してください。",
    BIRTHDAY_OFF: "現在、誕生日ポイントはご利用いただけません。",
    INVALID_ANSWER: "0〜10で評価を選択してください。コメントは1,000文字までです。",
    SURVEY_OFF: "現在、アンケートはご利用いただけません。",
    ALREADY_ANSWERED: "ご回答済みです。ありがとうございます。後日あらためてお伺いします。",
    UNKNOWN_NETWORK: "このページは現在リワードプログラムの対象外です。",
  },
};

export function shopperError(code: ShopperErrorCode, locale: StorefrontLocale = "en"): string {
  return SHOPPER_ERRORS[locale][code];
}
