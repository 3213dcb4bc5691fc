/**
 * Saved replies' form check and placeholders (pipeline/dashboard/
 * saved_replies.ts): pure.
 */
import assert from "node:assert/strict";
import {
  checkSavedReplyForm,
  fillSavedReply,
} from "../../pipeline/dashboard/saved_replies.ts";

Deno.test("checkSavedReplyForm(): trims, keeps line breaks, names each problem by its field", () => {
  assert.deepEqual(
    checkSavedReplyForm({ title: "  Late parcel ", body: "Hi\r\n\r\nSorry  " }),
    { ok: true, value: { title: "Late parcel", body: "Hi\n\nSorry" } },
  );
  assert.deepEqual(checkSavedReplyForm({ title: " ", body: undefined }), {
    ok: false,
    errors: {
      title: "Give the saved reply a title.",
      body: "Write the text of the saved reply.",
    },
  });
  const long = checkSavedReplyForm({ title: "t", body: "x".repeat(10_001) });
  assert.deepEqual(long, {
    ok: false,
    errors: { body: "The text is too long: at most 10000 characters." },
  });
});

Deno.test("fillSavedReply(): {name}, {signature} and {shop} filled, anything else left as written", () => {
  const vars = { signature: " The Team ", shopName: "Northwind Goods" };
  assert.equal(
    fillSavedReply("Hi {name}, {shop} here. {order_id}\n{signature}", {
      ...vars,
      customerName: "Maria Lopez",
    }),
    "Hi Maria, Northwind Goods here. {order_id}\nThe Team",
  );
  assert.equal(
    fillSavedReply("Hi {name}", { ...vars, customerName: null }),
    "Hi there",
  );
});
