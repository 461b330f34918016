import { defineConfig } from "@playwright/test";
import { catalogPort, db, port } from "./e2e/ports";

// One run per database: E2E_DB=sqlite (default) or E2E_DB=postgres. The server is the real
// `ocop` binary over a fresh database, serving the built SPA from dist/.
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    locale: "vi-VN",
    timezoneId: "Asia/Ho_Chi_Minh",
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's chromium; never `playwright install` (no downloads here).
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    },
  },
  projects: [{ name: `chromium-${db}`, use: { browserName: "chromium" } }],
  webServer: [
    {
      command: `bash e2e/serve.sh ${db} ${port}`,
      url: `${baseURL}/readyz`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: `bash e2e/serve.sh ${db} ${catalogPort} catalog`,
      url: `http://127.0.0.1:${catalogPort}/readyz`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "ignore",
      stderr: "pipe",
    },
  ],
});
