import { describe, expect, it } from "vitest";
import { chromiumPlan } from "./ensure-chromium.mjs";

describe("npm test's Chromium check", () => {
  const path = "/usr/bin/chromium";

  it("does nothing when Chromium is there", () => {
    expect(chromiumPlan({ path, found: true, root: false, apt: false })).toEqual({
      action: "none",
    });
  });

  it("installs Debian's package when it may", () => {
    expect(chromiumPlan({ path, found: false, root: true, apt: true })).toMatchObject({
      action: "install",
      command: expect.stringContaining("apt-get install -y --no-install-recommends chromium"),
    });
  });

  it("otherwise says exactly what to run", () => {
    const plan = chromiumPlan({ path, found: false, root: false, apt: true });
    expect(plan.action).toBe("explain");
    expect(plan.message).toContain("sudo sh -c 'apt-get update && apt-get install");
    expect(plan.message).toContain("CHROMIUM_PATH");
  });
});
