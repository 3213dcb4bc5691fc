/**
 * Test helper for browser tests: the system Chromium (playwright-core, no
 * downloaded browser; skipped when missing unless CI_REQUIRE_BROWSER is
 * set), the test web app served on a free port, the password sign-in of a
 * page (`signIn`) and screenshots.
 * @module
 */
import { type Browser, chromium, type Page } from "playwright-core";
import { openTestWeb, type TestWeb } from "./web_app.ts";

/** Where Debian's Chromium lives. */
export const CHROMIUM = "/usr/bin/chromium";

/** True when the system Chromium is installed. */
export async function hasChromium(): Promise<boolean> {
  try {
    return (await Deno.stat(CHROMIUM)).isFile;
  } catch {
    return false;
  }
}

/** True when browser tests must be skipped (no Chromium and CI does not require it). */
export async function skipBrowserTests(): Promise<boolean> {
  return !(await hasChromium()) &&
    Deno.env.get("CI_REQUIRE_BROWSER") !== "1";
}

/** Launches the system Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Serves a test web app on a free port; PUBLIC_URL is that origin. */
export async function serveTestWeb(
  env: Record<string, string> = {},
  emulator = true,
): Promise<{ web: TestWeb; origin: string; close(): Promise<void> }> {
  let handler: Deno.ServeHandler = () =>
    new Response("starting", { status: 503 });
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    (req, info) => handler(req, info),
  );
  const origin = `http://127.0.0.1:${server.addr.port}`;
  const web = await openTestWeb({ publicUrl: origin, env, emulator });
  handler = (req, info) => web.app.fetch(req, info);
  return {
    web,
    origin,
    async close() {
      await server.shutdown();
      await web.close();
    },
  };
}

const SHOTS = new URL("../../test-artifacts/screenshots/", import.meta.url);

/** A full-page screenshot into test-artifacts/screenshots/`name`.png (not committed). */
export async function shot(page: Page, name: string): Promise<void> {
  await Deno.mkdir(SHOTS, { recursive: true });
  await page.screenshot({
    path: new URL(`${name}.png`, SHOTS).pathname,
    fullPage: true,
  });
}

/** The admin password the browser tests sign in with. */
export const TEST_PASSWORD = "correct horse battery staple";

/** Signs in on the login page and waits for the dashboard. */
export async function signIn(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/login`);
  await page.fill("#password", TEST_PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForURL(`${origin}/`);
}
