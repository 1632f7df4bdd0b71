import { defineConfig } from "@playwright/test";

// Run through `npm run test:e2e` (scripts/e2e.ts), which starts a throw-away database and a
// production build and sets E2E_BASE_URL. Running `npx playwright test` directly needs
// E2E_BASE_URL (and DATABASE_URL for specs that look at the database) pointing at a running app.
// Chromium comes from Debian (/usr/bin/chromium): `npx playwright install` cannot download here.
export default defineConfig({
  testDir: "tests/e2e",
  // scripts/e2e.ts gives each run its own folder: Playwright empties its outputDir at start,
  // which would delete the traces of another run going on at the same time
  outputDir: process.env.E2E_OUTPUT_DIR || "test-results",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: Number(process.env.E2E_WORKERS || 2),
  retries: 0,
  forbidOnly: !!process.env.CI,
  // npm test (scripts/test-all.ts) asks for a JSON summary through PLAYWRIGHT_JSON_OUTPUT_FILE
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_FILE ? [["list"], ["json"]] : [["list"]],
  globalSetup: "./tests/e2e/global-setup.ts",
  use: {
    baseURL: process.env.E2E_BASE_URL || "http://localhost:3000",
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium", viewport: { width: 1280, height: 800 } } }],
});
