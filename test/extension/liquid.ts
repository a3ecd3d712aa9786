import {
  blockSchema as schemaOf,
  createThemeEngine,
  defaultSettings,
  extensionLocale,
  readExtensionJson,
} from "../../sandbox/theme/liquid";
import { EXTENSION_DIR } from "./build-asset";

// The Liquid stubs (t, asset_url, {% schema %}) are shared with the sandbox storefront, so the
// blocks render the same way in these tests and in `npm run demo`.

type Json = { [key: string]: unknown };

export function readJson(file: string): Json {
  return readExtensionJson(EXTENSION_DIR, file);
}

/** The storefront locale file Shopify would use for `lang` (en is the default). */
export function storefrontLocale(lang: string): Json {
  return extensionLocale(EXTENSION_DIR, lang);
}

export function blockSchema(block: string) {
  return schemaOf(EXTENSION_DIR, block);
}

export interface RenderOptions {
  lang?: string;
  rootUrl?: string;
  customer?: Json | null;
  settings?: Json;
  product?: Json | null;
  program?: Json | null;
  shopCurrency?: string;
  cartCurrency?: string;
}

export async function renderBlock(block: string, options: RenderOptions = {}): Promise<string> {
  const lang = options.lang ?? "en";
  const engine = createThemeEngine({
    extensionDir: EXTENSION_DIR,
    lang,
    assetUrl: (name: string) => `//example.myshopify.com/cdn/shop/extensions/0000/assets/${name}`,
  });

  const rootUrl = options.rootUrl ?? "/";
  const prefix = rootUrl === "/" ? "" : rootUrl;
  const shopCurrency = options.shopCurrency ?? "USD";
  const context = {
    block: {
      id: "AbCdEf123",
      type: `shopify://apps/loyalty/blocks/${block}/0000`,
      settings: { ...defaultSettings(EXTENSION_DIR, block), ...options.settings },
    },
    customer: options.customer ?? null,
    product: options.product ?? null,
    app: {
      metafields: options.program ? { loyalty: { program: { value: options.program } } } : {},
    },
    shop: {
      permanent_domain: "example.myshopify.com",
      currency: shopCurrency,
      money_format: "${{amount}}",
    },
    cart: { currency: { iso_code: options.cartCurrency ?? shopCurrency } },
    request: { locale: { iso_code: lang }, design_mode: false, page_type: "index" },
    routes: {
      root_url: rootUrl,
      account_login_url: `${prefix}/account/login`,
      account_register_url: `${prefix}/account/register`,
    },
  };
  return engine.renderFile(block, context);
}
