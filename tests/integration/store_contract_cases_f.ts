/**
 * Store contract cases, part F: a person's edits and outcomes of the
 * agent's drafts (`DraftReviewStore`).
 * @module
 */
import assert from "node:assert/strict";
import { at, type Case, T0 } from "./store_contract_cases_a.ts";

/** Draft reviews. */
export const draftCases: Case[] = [
  [
    "drafts: saved text is per message and replaced; the first outcome is kept",
    async (s) => {
      assert.deepEqual(await s.drafts.get("a1", "g1"), {
        text: null,
        outcome: null,
      });
      await s.drafts.saveText("a1", "g1", "First words");
      await s.drafts.saveText("a1", "g1", "Better words");
      assert.deepEqual(await s.drafts.get("a1", "g1"), {
        text: "Better words",
        outcome: null,
      });
      const sent = {
        status: "sent" as const,
        actor: "admin",
        at: T0,
        sentId: "m1",
      };
      assert.equal(await s.drafts.close("a1", "g1", sent), true);
      assert.equal(
        await s.drafts.close("a1", "g1", {
          status: "gone",
          actor: null,
          at: at(1000),
          sentId: null,
        }),
        false,
      );
      assert.deepEqual(await s.drafts.get("a1", "g1"), {
        text: "Better words",
        outcome: sent,
      });
      assert.deepEqual(await s.drafts.get("a1", "g2"), {
        text: null,
        outcome: null,
      });
      assert.deepEqual(await s.drafts.get("a2", "g1"), {
        text: null,
        outcome: null,
      });
      const gone = {
        status: "gone" as const,
        actor: null,
        at: T0,
        sentId: null,
      };
      assert.equal(await s.drafts.close("a1", "g3", gone), true);
      assert.deepEqual(await s.drafts.get("a1", "g3"), {
        text: null,
        outcome: gone,
      });
    },
  ],
];
