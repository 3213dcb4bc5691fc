/**
 * The sign-in redirect in headless Chromium: a `next` that a browser would
 * read as another host (a tab, a newline, a backslash, encoded slashes,
 * `/.//`) ends on this app's home page; the other host, a second local
 * server here, never gets a request.
 */
import assert from "node:assert/strict";
import {
  launchChromium,
  serveTestWeb,
  skipBrowserTests,
} from "../helpers/browser.ts";

const PASSWORD = "correct horse battery staple";

/** `next` values that lead to `host` in a browser that trusts them. */
function bypasses(host: string): string[] {
  return [
    `/\t/${host}/x`,
    `/\n/${host}/x`,
    `/\\${host}/x`,
    `/%2F/${host}/x`,
    `/.//${host}/x`,
  ];
}

if (await skipBrowserTests()) {
  Deno.test({
    name: "open redirect browser test SKIPPED: /usr/bin/chromium is missing",
    ignore: true,
    fn() {},
  });
} else {
  Deno.test("sign-in in Chromium never follows next= to another host (tab, newline, backslash, encoded slash, /.//)", async (t) => {
    const hits: string[] = [];
    const other = Deno.serve(
      { port: 0, hostname: "127.0.0.1", onListen: () => {} },
      (req) => {
        hits.push(req.url);
        return new Response("another site");
      },
    );
    const otherHost = `127.0.0.1:${other.addr.port}`;
    const served = await serveTestWeb({ ADMIN_PASSWORD: PASSWORD }, false);
    const browser = await launchChromium();
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await t.step("the sign-in form's next= lands on this app", async () => {
        const next = bypasses(otherHost)[0]!;
        await page.goto(
          `${served.origin}/login?next=${encodeURIComponent(next)}`,
        );
        await page.fill("#password", PASSWORD);
        await Promise.all([
          page.waitForURL((u) => u.pathname !== "/login"),
          page.click("button[type=submit]"),
        ]);
        assert.deepEqual(hits, []);
        assert.equal(page.url(), `${served.origin}/`);
      });
      await t.step(
        "signed in, /login?next= redirects only within this app",
        async () => {
          for (const next of bypasses(otherHost)) {
            await page.goto(
              `${served.origin}/login?next=${encodeURIComponent(next)}`,
            );
            assert.deepEqual(hits, [], `next=${JSON.stringify(next)}`);
            assert.equal(
              page.url(),
              `${served.origin}/`,
              `next=${JSON.stringify(next)}`,
            );
          }
        },
      );
    } finally {
      await browser.close();
      await served.close();
      await other.shutdown();
    }
  });
}
