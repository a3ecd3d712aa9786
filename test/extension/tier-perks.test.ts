import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { gunzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";
import {
  GraphQLScalarType,
  assertInputType,
  buildClientSchema,
  buildSchema,
  coerceInputValue,
  execute,
  lexicographicSortSchema,
  parse,
  printSchema,
  validate,
  type GraphQLSchema,
  type IntrospectionQuery,
} from "graphql";
import toml from "toml";
import { describe, expect, it } from "vitest";
import * as entry from "../../extensions/tier-perks/src/index";
import {
  cartDeliveryOptionsDiscountsGenerateRun,
  cartLinesDiscountsGenerateRun,
  type CartDeliveryOptionsDiscountsGenerateRunInput,
} from "../../extensions/tier-perks/src/index";
import {
  TIER_PERKS_METAFIELD,
  findTierPerk,
  tierPerksConfig,
} from "../../extensions/tier-perks/src/perks";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const EXTENSION = path.join(ROOT, "extensions", "tier-perks");
const LINES_QUERY = "src/cart_lines_discounts_generate_run.graphql";
const DELIVERY_QUERY = "src/cart_delivery_options_discounts_generate_run.graphql";

/** The Discount Function API schema Shopify serves for 2026-10, shipped offline in @shopify/dev-mcp. */
function loadFunctionSchema(): GraphQLSchema {
  const file = path.join(
    ROOT,
    "node_modules/@shopify/dev-mcp/dist/data/functions_discount_2026-10.json.gz",
  );
  const raw = JSON.parse(gunzipSync(fs.readFileSync(file)).toString("utf8")) as {
    data: IntrospectionQuery;
  };
  const schema = buildClientSchema(raw.data);
  // buildClientSchema makes Decimal accept anything; Shopify rejects `{ value: "ten" }`.
  const decimal = schema.getType("Decimal");
  if (decimal instanceof GraphQLScalarType) {
    (decimal as { parseValue: (value: unknown) => unknown }).parseValue = (value) => {
      if (typeof value === "number" && Number.isFinite(value)) return value;
      if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) return value;
      throw new TypeError(`Not a Decimal: ${JSON.stringify(value)}`);
    };
  }
  return schema;
}

const schema = loadFunctionSchema();
const read = (relative: string) => fs.readFileSync(path.join(EXTENSION, relative), "utf8");

function queryErrors(source: string): string[] {
  return validate(schema, parse(source)).map((e) => e.message);
}

/** Every problem Shopify's input coercion would report for a function result. */
function resultErrors(value: unknown, typeName: string): string[] {
  const type = assertInputType(schema.getType(typeName));
  const errors: string[] = [];
  coerceInputValue(value, type, (where, _invalid, error) => {
    errors.push(`${where.join(".")}: ${error.message}`);
  });
  return errors;
}

/**
 * Runs the input query over the fixture with graphql's default resolvers: the data that comes back
 * is exactly what the query selects, so a fixture with a field the query lacks (or missing a
 * non-null one) is caught instead of silently testing a shape Shopify never sends.
 */
function expectShapedLike(querySource: string, fixture: object): void {
  const result = execute({ schema, document: parse(querySource), rootValue: fixture });
  expect(result).toEqual({ data: JSON.parse(JSON.stringify(fixture)) });
}

const GOLD_CONFIG = {
  version: 1,
  tiers: {
    Gold: { percentage: 10, freeShipping: true },
    Silver: { freeShipping: true },
    Bronze: { percentage: 5, freeShipping: false },
  },
};

interface Fixture {
  tier?: string | null;
  signedIn?: boolean;
  config?: unknown;
  /** The discount carries no tier-perks metafield at all. */
  noConfig?: boolean;
  classes?: string[];
  groups?: string[];
}

function input({
  tier = "Gold",
  signedIn = true,
  config = GOLD_CONFIG,
  noConfig = false,
  classes = ["ORDER", "SHIPPING"],
  groups = ["gid://shopify/CartDeliveryGroup/1"],
}: Fixture = {}) {
  const customer = signedIn ? { metafield: tier === null ? null : { value: tier } } : null;
  const discount = {
    discountClasses: classes,
    metafield: noConfig ? null : { jsonValue: config },
  };
  return {
    lines: { cart: { buyerIdentity: { customer } }, discount },
    delivery: {
      cart: { buyerIdentity: { customer }, deliveryGroups: groups.map((id) => ({ id })) },
      discount,
    } satisfies CartDeliveryOptionsDiscountsGenerateRunInput,
  };
}

/** Runs both targets, checking inputs against the queries and outputs against the result types. */
function run(fixture: Fixture = {}) {
  const { lines, delivery } = input(fixture);
  expectShapedLike(read(LINES_QUERY), lines);
  expectShapedLike(read(DELIVERY_QUERY), delivery);
  const linesResult = cartLinesDiscountsGenerateRun(lines);
  const deliveryResult = cartDeliveryOptionsDiscountsGenerateRun(delivery);
  expect(resultErrors(linesResult, "CartLinesDiscountsGenerateRunResult")).toEqual([]);
  expect(resultErrors(deliveryResult, "CartDeliveryOptionsDiscountsGenerateRunResult")).toEqual([]);
  return { lines: linesResult, delivery: deliveryResult };
}

const orderPerk = (message: string, percentage: number) => ({
  operations: [
    {
      orderDiscountsAdd: {
        selectionStrategy: "FIRST",
        candidates: [
          {
            message,
            targets: [{ orderSubtotal: { excludedCartLineIds: [] } }],
            value: { percentage: { value: percentage } },
          },
        ],
      },
    },
  ],
});

const freeShipping = (message: string, groupIds: string[]) => ({
  operations: [
    {
      deliveryDiscountsAdd: {
        selectionStrategy: "ALL",
        candidates: groupIds.map((id) => ({
          message,
          targets: [{ deliveryGroup: { id } }],
          value: { percentage: { value: 100 } },
        })),
      },
    },
  ],
});

const NONE = { operations: [] };

describe("tier-perks input queries", () => {
  it("validate against the 2026-10 Discount Function schema", () => {
    expect(queryErrors(read(LINES_QUERY))).toEqual([]);
    expect(queryErrors(read(DELIVERY_QUERY))).toEqual([]);
  });

  it("would catch a misspelt field", () => {
    const misspelt = read(DELIVERY_QUERY).replace("deliveryGroups", "deliveryGroup");
    expect(queryErrors(misspelt)).toEqual([expect.stringMatching(/deliveryGroup/)]);
  });

  it("read the metafields the app writes", () => {
    for (const query of [LINES_QUERY, DELIVERY_QUERY]) {
      const source = read(query);
      expect(source, query).toContain(
        `metafield(namespace: "${TIER_PERKS_METAFIELD.namespace}", key: "${TIER_PERKS_METAFIELD.key}")`,
      );
      expect(source, query).toContain('metafield(namespace: "$app", key: "tier")');
    }
  });
});

describe("tier-perks function", () => {
  it("gives a Gold member 10% off the subtotal and free shipping", () => {
    const result = run();
    expect(result.lines).toEqual(orderPerk("Gold member: 10% off", 10));
    expect(result.delivery).toEqual(
      freeShipping("Gold member: free shipping", ["gid://shopify/CartDeliveryGroup/1"]),
    );
  });

  it("gives a free-shipping-only tier free shipping and no order discount", () => {
    const result = run({ tier: "Silver" });
    expect(result.lines).toEqual(NONE);
    expect(result.delivery).toEqual(
      freeShipping("Silver member: free shipping", ["gid://shopify/CartDeliveryGroup/1"]),
    );
  });

  it("gives a percentage-only tier no shipping discount", () => {
    const result = run({ tier: "Bronze" });
    expect(result.lines).toEqual(orderPerk("Bronze member: 5% off", 5));
    expect(result.delivery).toEqual(NONE);
  });

  it("frees every delivery group of a split shipment", () => {
    const groups = [1, 2, 3].map((n) => `gid://shopify/CartDeliveryGroup/${n}`);
    expect(run({ groups }).delivery).toEqual(freeShipping("Gold member: free shipping", groups));
    expect(run({ groups: [] }).delivery).toEqual(NONE);
  });

  it("gives nothing to a guest, a customer without a tier, or a tier not in the config", () => {
    for (const fixture of [
      { signedIn: false },
      { tier: null },
      { tier: "" },
      { tier: "Platinum" },
      { tier: "gold" },
      // Inherited from Object.prototype, not configured.
      { tier: "constructor" },
    ]) {
      expect(run(fixture), JSON.stringify(fixture)).toEqual({ lines: NONE, delivery: NONE });
    }
  });

  it("gives nothing for a missing, malformed or unknown-version config, and never throws", () => {
    expect(run({ noConfig: true })).toEqual({ lines: NONE, delivery: NONE });
    const configs: unknown[] = [
      "Gold",
      [],
      { tiers: GOLD_CONFIG.tiers },
      { ...GOLD_CONFIG, version: 2 },
      { ...GOLD_CONFIG, version: "1" },
      { version: 1, tiers: [] },
      { version: 1, tiers: { Gold: null } },
      { version: 1, tiers: { Gold: { percentage: 150, freeShipping: true } } },
      { version: 1, tiers: { Gold: { percentage: 0, freeShipping: true } } },
      { version: 1, tiers: { Gold: { percentage: "10", freeShipping: true } } },
      { version: 1, tiers: { Gold: { percentage: 10, freeShipping: "yes" } } },
    ];
    for (const config of configs) {
      expect(run({ config }), JSON.stringify(config)).toEqual({ lines: NONE, delivery: NONE });
    }
  });

  it("leaves out the order discount without ORDER and free shipping without SHIPPING", () => {
    const shippingOnly = run({ classes: ["SHIPPING"] });
    expect(shippingOnly.lines).toEqual(NONE);
    expect(shippingOnly.delivery).toEqual(
      freeShipping("Gold member: free shipping", ["gid://shopify/CartDeliveryGroup/1"]),
    );
    const orderOnly = run({ classes: ["ORDER", "PRODUCT"] });
    expect(orderOnly.lines).toEqual(orderPerk("Gold member: 10% off", 10));
    expect(orderOnly.delivery).toEqual(NONE);
    expect(run({ classes: ["PRODUCT"] })).toEqual({ lines: NONE, delivery: NONE });
  });

  it("has result checks that reject what Shopify would reject", () => {
    const wrong = orderPerk("Gold member: 10% off", 10);
    const candidate = wrong.operations[0]!.orderDiscountsAdd;
    expect(
      resultErrors(
        { operations: [{ orderDiscountsAdd: { ...candidate, selectionStrategy: "ALL" } }] },
        "CartLinesDiscountsGenerateRunResult",
      ),
    ).not.toEqual([]);
    expect(
      resultErrors(
        freeShipping("x", ["gid://shopify/CartDeliveryGroup/1"]),
        "CartLinesDiscountsGenerateRunResult",
      ),
    ).not.toEqual([]);
    const badValue = structuredClone(wrong);
    badValue.operations[0]!.orderDiscountsAdd.candidates[0]!.value.percentage.value =
      "ten" as unknown as number;
    expect(resultErrors(badValue, "CartLinesDiscountsGenerateRunResult")).not.toEqual([]);
  });
});

describe("tierPerksConfig", () => {
  const tiers = [
    { name: "Bronze", perkPercent: null, perkFreeShipping: false },
    { name: "Silver", perkPercent: null, perkFreeShipping: true },
    { name: "Gold", perkPercent: 10, perkFreeShipping: true },
    { name: "Platinum", perkPercent: 15, perkFreeShipping: false },
  ];

  it("keeps only tiers with a perk", () => {
    expect(tierPerksConfig(tiers)).toEqual({
      version: 1,
      tiers: {
        Silver: { freeShipping: true },
        Gold: { percentage: 10, freeShipping: true },
        Platinum: { percentage: 15 },
      },
    });
  });

  it("builds what the function reads, through the metafield's JSON round trip", () => {
    // Shopify stores the `json` metafield as text and hands the function its parsed jsonValue.
    const config = JSON.parse(JSON.stringify(tierPerksConfig(tiers))) as unknown;
    expect(run({ config, tier: "Gold" })).toEqual({
      lines: orderPerk("Gold member: 10% off", 10),
      delivery: freeShipping("Gold member: free shipping", ["gid://shopify/CartDeliveryGroup/1"]),
    });
    expect(run({ config, tier: "Platinum" })).toEqual({
      lines: orderPerk("Platinum member: 15% off", 15),
      delivery: NONE,
    });
    expect(run({ config, tier: "Silver" }).delivery).toEqual(
      freeShipping("Silver member: free shipping", ["gid://shopify/CartDeliveryGroup/1"]),
    );
    expect(run({ config, tier: "Bronze" })).toEqual({ lines: NONE, delivery: NONE });
    for (const tier of tiers) {
      expect(findTierPerk(config, tier.name), tier.name).toEqual(
        tier.perkPercent === null && !tier.perkFreeShipping
          ? null
          : { tier: tier.name, percentage: tier.perkPercent, freeShipping: tier.perkFreeShipping },
      );
    }
  });

  it("keeps a tier named __proto__ as data", () => {
    const config = JSON.parse(
      JSON.stringify(
        tierPerksConfig([{ name: "__proto__", perkPercent: 20, perkFreeShipping: false }]),
      ),
    ) as unknown;
    expect(findTierPerk(config, "__proto__")).toEqual({
      tier: "__proto__",
      percentage: 20,
      freeShipping: false,
    });
  });

  it("refuses a percentage the function would ignore, and duplicate names", () => {
    for (const perkPercent of [0, 101, -5, Number.NaN]) {
      expect(() =>
        tierPerksConfig([{ name: "Gold", perkPercent, perkFreeShipping: true }]),
      ).toThrow(RangeError);
    }
    expect(() =>
      tierPerksConfig([
        { name: "Gold", perkPercent: 10, perkFreeShipping: false },
        { name: "Gold", perkPercent: 5, perkFreeShipping: false },
      ]),
    ).toThrow(/Duplicate/);
  });
});

describe("tier-perks shopify.extension.toml", () => {
  const config = toml.parse(read("shopify.extension.toml"));
  const extension = config.extensions[0];
  const targeting = extension.targeting as {
    target: string;
    input_query: string;
    export: string;
  }[];

  it("declares a 2026-10 function with both discount targets", () => {
    expect(config.api_version).toBe("2026-10");
    expect(config.extensions).toHaveLength(1);
    expect(extension).toMatchObject({ type: "function", handle: "tier-perks" });
    expect(extension.name).toEqual(expect.any(String));
    expect(extension.description).toEqual(expect.any(String));
    expect(targeting).toEqual([
      {
        target: "cart.lines.discounts.generate.run",
        input_query: LINES_QUERY,
        export: "cart-lines-discounts-generate-run",
      },
      {
        target: "cart.delivery-options.discounts.generate.run",
        input_query: DELIVERY_QUERY,
        export: "cart-delivery-options-discounts-generate-run",
      },
    ]);
    expect(extension.build).toMatchObject({ command: "", path: "dist/function.wasm" });
  });

  it("points each target at an existing query and an export src/index.ts provides", () => {
    for (const target of targeting) {
      expect(fs.existsSync(path.join(EXTENSION, target.input_query)), target.input_query).toBe(
        true,
      );
      // The CLI requires kebab-case exports and imports their camelCase form from src/index.
      expect(target.export).toMatch(/^[a-z0-9-]+$/);
      const name = target.export.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
      expect(typeof (entry as Record<string, unknown>)[name], name).toBe("function");
    }
  });

  it("ships schema.graphql for typegen, equal to the schema the tests use", () => {
    const sdl = read("schema.graphql");
    expect(sdl.split("\n", 1)[0]).toBe(`# api_version: ${config.api_version}`);
    const normalise = (s: GraphQLSchema) => printSchema(lexicographicSortSchema(s));
    expect(normalise(buildSchema(sdl))).toBe(normalise(schema));
  });
});

describe("tier-perks bundle", () => {
  // The entry Shopify CLI generates for a JavaScript function, with its runtime wrapper stubbed:
  // the real one reads the input from and writes the output to the Javy host.
  const runtime: Plugin = {
    name: "shopify-function-runtime",
    setup(b) {
      b.onResolve({ filter: /^@shopify\/shopify_function\/run$/ }, () => ({
        path: "run",
        namespace: "stub",
      }));
      b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
        contents:
          "export default (fn) => ShopifyFunction.writeOutput(fn(ShopifyFunction.readInput()));",
        loader: "js",
      }));
    },
  };
  const exports = ["cartLinesDiscountsGenerateRun", "cartDeliveryOptionsDiscountsGenerateRun"];
  const entrypoint = [
    'import __runFunction from "@shopify/shopify_function/run";',
    ...exports.map(
      (name) =>
        `import { ${name} as run_${name} } from "user-function";\n` +
        `export function ${name}() { return __runFunction(run_${name}); }`,
    ),
  ].join("\n");

  async function bundle(format: "esm" | "iife") {
    const result = await build({
      stdin: { contents: entrypoint, loader: "ts", resolveDir: EXTENSION },
      alias: { "user-function": path.join(EXTENSION, "src/index.ts") },
      plugins: [runtime],
      bundle: true,
      write: false,
      format,
      globalName: format === "iife" ? "tierPerks" : undefined,
      target: "es2022",
      logLevel: "silent",
    });
    return result.outputFiles[0]!.text;
  }

  it("has no dependencies and stays small", async () => {
    const code = await bundle("esm");
    expect(code).not.toMatch(/\brequire\(|\bimport\s*\(/);
    expect(code.length).toBeLessThan(8_000);
  });

  it("runs in a bare JavaScript context, as under Javy", async () => {
    const code = await bundle("iife");
    const { lines, delivery } = input();
    const outputs: unknown[] = [];
    const context = vm.createContext({
      ShopifyFunction: {
        readInput: () => (outputs.length === 0 ? lines : delivery),
        writeOutput: (output: unknown) => outputs.push(output),
      },
    });
    vm.runInContext(
      `${code}\n${exports.map((name) => `tierPerks.${name}();`).join("\n")}`,
      context,
    );
    // Outputs cross the vm boundary; JSON compares them by value.
    expect(JSON.parse(JSON.stringify(outputs))).toEqual([
      orderPerk("Gold member: 10% off", 10),
      freeShipping("Gold member: free shipping", ["gid://shopify/CartDeliveryGroup/1"]),
    ]);
  });
});
