import { defineConfig } from "@playwright/test";

// Debian's Chromium (/usr/bin/chromium), never a downloaded browser; flags as on these machines
// (no sandbox as root, no background connections to a closed network). globalSetup starts
// Azurite and the local host on free ports and hands the address over in COACH_BASE_URL.
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export default defineConfig({
  testDir: "./tests",
  testMatch: "*.spec.ts",
  outputDir: "./test-results/artifacts",
  globalSetup: "./tests/support/global-setup.ts",
  // One browser at a time: the machine has two cores, and admin scans judge every user.
  workers: Number(process.env.COACH_WEB_WORKERS ?? 1),
  fullyParallel: false,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [["list"], ["json", { outputFile: "./test-results/results.json" }]],
  use: {
    browserName: "chromium",
    headless: true,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: chromiumArgs },
    viewport: { width: 1280, height: 900 },
    locale: "en-US",
    timezoneId: "UTC",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    actionTimeout: 15_000,
  },
});
