import assert from "node:assert/strict";
import { pollCommand } from "../../app/cli/poll_command.ts";

Deno.test("pollCommand() returns exactly the summary keys of docs/cli.md in order", async () => {
  const worker = {
    pollOnce: () =>
      Promise.resolve({
        errors: 1,
        ignored: 2,
        queued: 3,
        drafted: 4,
        replied: 5,
        fetched: 15,
        accounts: 2,
        extra: true,
      }),
  };
  const s = await pollCommand(worker);
  assert.equal(
    JSON.stringify(s),
    '{"accounts":2,"fetched":15,"replied":5,"drafted":4,"queued":3,"ignored":2,"errors":1}',
  );
});
