/**
 * Store contract cases: saved replies per mailbox (`SavedReplyStore`).
 * @module
 */
import assert from "node:assert/strict";
import { at, type Case, T0 } from "./store_contract_cases_a.ts";

/** Saved replies. */
export const savedReplyCases: Case[] = [
  [
    "savedReplies: create, get, list by title per mailbox, update, delete",
    async (s) => {
      const acc = "acc-saved";
      assert.deepEqual(await s.savedReplies.list(acc), []);
      const b = await s.savedReplies.create(
        { accountId: acc, title: "Where is my parcel", body: "Hello {name}" },
        T0,
      );
      const a = await s.savedReplies.create(
        { accountId: acc, title: "address change", body: "We can change it." },
        at(1000),
      );
      await s.savedReplies.create(
        { accountId: "acc-saved-2", title: "Other", body: "Elsewhere" },
        T0,
      );
      assert.ok(a.ok && b.ok);
      assert.deepEqual(a.reply, {
        id: a.reply.id,
        accountId: acc,
        title: "address change",
        body: "We can change it.",
        createdAt: at(1000),
        updatedAt: at(1000),
      });
      assert.deepEqual(await s.savedReplies.get(a.reply.id), a.reply);
      assert.equal(await s.savedReplies.get("nope"), null);
      assert.deepEqual(
        (await s.savedReplies.list(acc)).map((r) => r.title),
        ["address change", "Where is my parcel"],
        "by title, case-blind",
      );
      const u = await s.savedReplies.update(
        b.reply.id,
        { title: "Parcel late", body: "Sorry {name}" },
        at(5000),
      );
      assert.ok(u.ok);
      assert.deepEqual(u.reply, {
        ...b.reply,
        title: "Parcel late",
        body: "Sorry {name}",
        updatedAt: at(5000),
      });
      assert.deepEqual(await s.savedReplies.get(b.reply.id), u.reply);
      // The old title is free again.
      const again = await s.savedReplies.create(
        { accountId: acc, title: "where is my parcel", body: "x" },
        T0,
      );
      assert.ok(again.ok);
      assert.equal(await s.savedReplies.delete(a.reply.id), true);
      assert.equal(await s.savedReplies.delete(a.reply.id), false);
      assert.equal(await s.savedReplies.get(a.reply.id), null);
      assert.deepEqual(
        (await s.savedReplies.list(acc)).map((r) => r.title),
        ["Parcel late", "where is my parcel"],
      );
      assert.deepEqual(
        await s.savedReplies.update("nope", { title: "t", body: "b" }, T0),
        { ok: false, reason: "not_found" },
      );
    },
  ],
  [
    "savedReplies: a title is unique per mailbox, case-blind; two creates at once, one wins",
    async (s) => {
      const acc = "acc-saved-dup";
      const first = await s.savedReplies.create(
        { accountId: acc, title: "Refund policy", body: "a" },
        T0,
      );
      assert.ok(first.ok);
      assert.deepEqual(
        await s.savedReplies.create(
          { accountId: acc, title: "REFUND POLICY", body: "b" },
          T0,
        ),
        { ok: false, reason: "duplicate_title" },
      );
      const other = await s.savedReplies.create(
        { accountId: "acc-saved-dup-2", title: "Refund policy", body: "c" },
        T0,
      );
      assert.ok(other.ok, "another mailbox may use the title");
      const second = await s.savedReplies.create(
        { accountId: acc, title: "Opening hours", body: "d" },
        T0,
      );
      assert.ok(second.ok);
      assert.deepEqual(
        await s.savedReplies.update(
          second.reply.id,
          { title: "refund Policy", body: "d" },
          T0,
        ),
        { ok: false, reason: "duplicate_title" },
      );
      // Its own title in another case is fine.
      const renamed = await s.savedReplies.update(
        first.reply.id,
        { title: "Refund Policy", body: "a2" },
        at(1),
      );
      assert.ok(renamed.ok);
      const races = await Promise.all([
        s.savedReplies.create({ accountId: acc, title: "Race", body: "1" }, T0),
        s.savedReplies.create({ accountId: acc, title: "race", body: "2" }, T0),
      ]);
      assert.equal(races.filter((r) => r.ok).length, 1);
      assert.equal(
        (await s.savedReplies.list(acc)).filter((r) =>
          r.title.toLowerCase() === "race"
        ).length,
        1,
      );
    },
  ],
];
