/**
 * Label conflicts: Gmail rejects a label name that differs from an existing
 * one only in case, spacing or nesting (409). The agent uses such a label
 * when it finds it, and otherwise pauses the account once with a clear
 * reason instead of failing every cycle.
 */
import assert from "node:assert/strict";
import { openGmailAgent } from "../helpers/gmail_agent.ts";

const SHOP = "support@shop.example";

Deno.test("Gmail label conflict: a label Gmail says conflicts ('agent / processed') is used, not fought every cycle", async () => {
  const agent = await openGmailAgent();
  try {
    const { emu } = agent;
    const token = await emu.accessToken(SHOP);
    const res = await fetch(`${emu.url}/gmail/v1/users/me/labels`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ name: "agent / processed" }),
    });
    const existing = await res.json();
    await emu.fault({
      status: 409,
      method: "POST",
      path: "/labels",
      for_ms: 3_600_000,
    });
    const w = agent.worker();
    await emu.deliver(SHOP, {
      from: "l@example.net",
      subject: "Tracking",
      text: "Hi, how do I track my order?",
    });
    const s = await w.pollOnce();
    assert.deepEqual([s.replied, s.errors], [1, 0]);
    const [m] = (await emu.messages(SHOP)).filter((x) =>
      x.labelIds.includes("INBOX")
    );
    assert.ok(m?.labelIds.includes(existing.id));
  } finally {
    await agent.close();
  }
});

Deno.test("Gmail label conflict: an unresolvable 409 pauses the account once with a clear reason; later cycles make no call", async () => {
  const agent = await openGmailAgent();
  try {
    const { emu, store, account } = agent;
    await emu.fault({
      status: 409,
      method: "POST",
      path: "/labels",
      for_ms: 3_600_000,
    });
    const w = agent.worker();
    const s = await w.pollOnce();
    assert.equal(s.errors, 1);
    const a = await store.accounts.get(account.id);
    assert.equal(a?.status, "paused");
    assert.match(
      a?.statusReason ?? "",
      /Agent\/Processed.*conflicts.*rename or delete/,
    );
    const before = (await emu.calls()).calls["labels.create"];
    await w.pollOnce();
    await w.pollOnce();
    assert.equal(
      (await emu.calls()).calls["labels.create"],
      before,
      "not retried every cycle",
    );
  } finally {
    await agent.close();
  }
});
