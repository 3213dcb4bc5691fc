import assert from "node:assert/strict";
import { HUMAN_LINE } from "../../pipeline/answer/answer_template.ts";
import type { Llm, LlmInput } from "../../pipeline/llm/llm_port.ts";
import {
  customerFirstName,
  rewriteReply,
} from "../../pipeline/llm/rewrite_reply.ts";
import { createLogger } from "../../app/ops/logger.ts";
import type { ParsedEmail } from "../../pipeline/types.ts";
import { textEmail } from "../../eval/text_email.ts";

const SIGNATURE = "The Support Team\nNorthwind Goods";
const PARAGRAPHS = [[
  "You can get a refund within 30 days from the order date.",
], [
  "Refunds go back to the original payment method.",
]];

function email(text: string, name = "Jane Doe"): ParsedEmail {
  return textEmail(text, {
    id: "m42",
    from: { address: "jane@example.com", name },
    subject: "Refund question",
  });
}

/** An Llm that answers `reply` and records what it was asked. */
function scripted(reply: string): Llm & { asked: LlmInput[] } {
  const asked: LlmInput[] = [];
  return {
    asked,
    complete: (input) => {
      asked.push(input);
      return Promise.resolve(reply);
    },
  } satisfies Llm & { asked: LlmInput[] };
}

const BODY =
  "Hi,\nHow long do I have to get a refund? And where does the money go?\nThanks, Jane";

Deno.test("rewriteReply() rebuilds the reply from verified model text", async (t) => {
  await t.step("a grounded rewrite goes into the same template", async () => {
    const text =
      "Jane, you can get a refund within 30 days from the order date, and refunds go back to the original payment method.";
    const llm = scripted(text);
    const r = await rewriteReply({
      email: email(BODY),
      paragraphs: PARAGRAPHS,
      sourceTitles: ["Refunds"],
      signature: SIGNATURE,
    }, { llm });
    assert.deepEqual(r, {
      ok: true,
      reply: [
        "Hi Jane,",
        text,
        "Sources: Refunds",
        HUMAN_LINE,
        SIGNATURE,
      ].join("\n\n") + "\n",
    });
    const user = llm.asked[0]!.user;
    assert.ok(user.includes("How long do I have to get a refund?"));
    assert.ok(!user.includes("Thanks, Jane"), "the question is the asks only");
    assert.ok(user.includes(`2. ${PARAGRAPHS[1]![0]}`));
  });

  await t.step(
    "an ungrounded rewrite is not used, and the log holds no text",
    async () => {
      const lines: string[] = [];
      const logger = createLogger({
        level: "debug",
        write: (l) => lines.push(l),
      });
      const llm = scripted(
        "You can get a refund within 60 days from the order date.",
      );
      const r = await rewriteReply({
        email: email(BODY),
        paragraphs: PARAGRAPHS,
        sourceTitles: ["Refunds"],
        signature: SIGNATURE,
      }, { llm, logger });
      assert.equal(r.ok, false);
      assert.equal(lines.length, 1);
      const line = JSON.parse(lines[0]!);
      assert.equal(line.gmailId, "m42");
      assert.match(line.outcome, /^not_grounded: unsupported_number/);
      assert.ok(!lines[0]!.includes("60 days"));
      assert.ok(!lines[0]!.includes("How long"));
    },
  );

  await t.step("customerFirstName follows the template's greeting", () => {
    assert.equal(customerFirstName(email("x", "Doe, Jane")), "Jane");
    assert.equal(customerFirstName(email("x", "support")), null);
    assert.equal(customerFirstName(email("x", "")), null);
  });
});
