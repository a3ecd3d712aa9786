// What the production build sends to a merchant's browser for each admin page: never the server's
// validation library, and within the page-weight budget of issue #15 (200 KB gzipped per page).
import zlib from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuild, loadBuild, type LoadedBuild } from "../../sandbox/build";

const PAGE_BUDGET_GZIP = 200 * 1024;

let loaded: LoadedBuild;

beforeAll(async () => {
  await ensureBuild(() => {});
  loaded = await loadBuild();
}, 300_000);

/** Every script a first visit to the route loads before it can respond: entry, layouts, page. */
function scriptsFor(routeId: string): string[] {
  const { assets } = loaded.build;
  const chain: string[] = [];
  for (let id: string | undefined = routeId; id; id = assets.routes[id]?.parentId) chain.push(id);
  const urls = new Set([assets.entry.module, ...assets.entry.imports]);
  for (const id of chain) {
    const route = assets.routes[id]!;
    urls.add(route.module);
    for (const url of route.imports ?? []) urls.add(url);
  }
  return [...urls];
}

function file(url: string): Buffer {
  const bytes = loaded.assets.get(url);
  if (!bytes) throw new Error(`${url} is in the manifest but not in public/`);
  return bytes;
}

// The embedded admin: the app layout and everything under it.
const adminPages = () =>
  Object.keys(loaded.build.assets.routes).filter((id) => id.startsWith("routes/app"));

describe("admin pages in the browser", () => {
  it("never load zod: schemas run on the server, not in the merchant's browser", () => {
    expect(adminPages().length).toBeGreaterThan(10);
    const carrying = new Set<string>();
    for (const id of adminPages()) {
      for (const url of scriptsFor(id)) {
        // zod's error class name survives minification (it is a string in its constructor).
        if (file(url).includes("ZodError")) carrying.add(`${id}: ${url}`);
      }
    }
    expect([...carrying]).toEqual([]);
  });

  it(`stay within ${PAGE_BUDGET_GZIP / 1024} KB of gzipped script each`, () => {
    const sizes = Object.fromEntries(
      adminPages().map((id) => [
        id,
        scriptsFor(id).reduce((sum, url) => sum + zlib.gzipSync(file(url)).length, 0),
      ]),
    );
    const over = Object.entries(sizes).filter(([, size]) => size > PAGE_BUDGET_GZIP);
    expect(over).toEqual([]);
    // The dashboard's charts are the heaviest page part; report it so a regression shows.
    console.log(
      Object.entries(sizes)
        .map(([id, size]) => `${id} ${(size / 1024).toFixed(1)} KB`)
        .join("\n"),
    );
  });
});
