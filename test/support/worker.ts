import { unauthenticated } from "../../app/shopify.server";

/** The worker's view of a shop, as app/worker/main.server.ts has it: its offline Admin client, or null. */
export async function offlineAdmin(shop: string) {
  try {
    return (await unauthenticated.admin(shop)).admin;
  } catch {
    return null;
  }
}

/** Polls `check` until it returns something truthy, for work a worker does on its own time. */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  ms = 20_000,
) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
