/**
 * The emulator pages messages.list and history.list for the official Gmail
 * client, answers 404 for a stale startHistoryId, and counts quota units.
 */
import assert from "node:assert/strict";
import { gmail, type gmail_v1 } from "@googleapis/gmail";
import { OAuth2Client } from "google-auth-library";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator.ts";

const USER = "support@shop.test";

async function client(
  emu: TestEmulator,
  email = USER,
): Promise<gmail_v1.Gmail> {
  const { refresh_token } = await emu.addUser(email);
  const auth = new OAuth2Client({
    clientId: "cid",
    clientSecret: "secret",
    endpoints: { oauth2TokenUrl: `${emu.url}/token` },
  });
  auth.setCredentials({ refresh_token });
  return gmail({ version: "v1", auth, rootUrl: emu.url + "/" });
}

/** The fields of a GaxiosError the assertions read. */
type GErr = {
  status?: number;
  message?: string;
  response?: {
    data?: {
      error?: {
        errors?: { reason: string; domain: string }[];
        status?: string;
      };
    };
  };
};

function reason(e: GErr): string | undefined {
  return e.response?.data?.error?.errors?.[0]?.reason;
}

Deno.test("gmail emulator pages messages and history, and 404s a stale startHistoryId", async (t) => {
  const emu = await startTestEmulator();
  try {
    const api = await client(emu);
    const start = (await api.users.getProfile({ userId: "me" })).data
      .historyId!;
    for (let i = 0; i < 7; i++) {
      await emu.deliver(USER, {
        from: `c${i}@cust.test`,
        subject: `Question ${i}`,
        text: `Body ${i}`,
        date: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
      });
    }

    await t.step(
      "messages.list pages newest first with nextPageToken",
      async () => {
        const seen: string[] = [];
        let pageToken: string | undefined;
        let pages = 0;
        do {
          const { data } = await api.users.messages.list({
            userId: "me",
            maxResults: 3,
            pageToken,
          });
          assert.equal(data.resultSizeEstimate, 7);
          seen.push(...(data.messages ?? []).map((m) => m.id!));
          pageToken = data.nextPageToken ?? undefined;
          pages++;
        } while (pageToken);
        assert.equal(pages, 3);
        assert.equal(new Set(seen).size, 7);
        const first = await api.users.messages.get({
          userId: "me",
          id: seen[0]!,
          format: "metadata",
          metadataHeaders: ["From"],
        });
        assert.equal(first.data.payload?.headers?.[0]?.value, "c6@cust.test");
      },
    );

    await t.step("history.list pages messagesAdded records", async () => {
      const ids: string[] = [];
      let pageToken: string | undefined;
      let last = "";
      do {
        const { data } = await api.users.history.list({
          userId: "me",
          startHistoryId: start,
          maxResults: 4,
          pageToken,
        });
        for (const h of data.history ?? []) {
          assert.equal(h.messagesAdded?.length, 1);
          assert.deepEqual(h.messagesAdded?.[0]?.message?.labelIds, [
            "INBOX",
            "UNREAD",
          ]);
          ids.push(h.id!);
        }
        pageToken = data.nextPageToken ?? undefined;
        last = data.historyId!;
      } while (pageToken);
      assert.equal(ids.length, 7);
      assert.deepEqual([...ids].sort((a, b) => Number(a) - Number(b)), ids);
      assert.equal(
        last,
        (await api.users.getProfile({ userId: "me" })).data.historyId,
      );
    });

    await t.step(
      "after history expiry an earlier startHistoryId is 404 notFound",
      async () => {
        const current = (await api.users.getProfile({ userId: "me" })).data
          .historyId!;
        await emu.expireHistory(USER);
        await assert.rejects(
          api.users.history.list({ userId: "me", startHistoryId: start }),
          (e: GErr) => e.status === 404 && reason(e) === "notFound",
        );
        const fresh = await api.users.history.list({
          userId: "me",
          startHistoryId: current,
        });
        assert.equal(fresh.data.history, undefined);
        assert.equal(fresh.data.historyId, current);
      },
    );

    await t.step("quota units add up per method", async () => {
      const { calls, units } = await emu.calls();
      const table: Record<string, number> = {
        "users.getProfile": 1,
        "messages.list": 5,
        "messages.get": 5,
        "history.list": 2,
      };
      let expected = 0;
      for (const [m, n] of Object.entries(calls)) {
        expected += n * (table[m] ?? NaN);
      }
      assert.equal(units, expected);
      assert.equal(calls["messages.list"], 3);
      assert.equal(calls["history.list"], 4);
    });
  } finally {
    await emu.close();
  }
});
