/**
 * The Store contract: one suite of cases run identically against Deno KV and
 * Postgres (fresh KV dir and fresh schema each).
 */
import { openKvTestStore, openPgTestStore } from "../helpers/stores.ts";
import { accountCases, ledgerCases } from "./store_contract_cases_a.ts";
import {
  orderCases,
  refundCases,
  reviewCases,
} from "./store_contract_cases_b.ts";
import { smallCases } from "./store_contract_cases_c.ts";
import { attemptCases } from "./store_contract_cases_d.ts";
import { stateCases } from "./store_contract_cases_e.ts";
import { searchCases } from "./store_contract_cases_search.ts";
import { draftCases } from "./store_contract_cases_f.ts";
import { savedReplyCases } from "./store_contract_cases_saved.ts";
import { emailCases } from "./store_contract_cases_g.ts";

const CASES = [
  ...accountCases,
  ...ledgerCases,
  ...reviewCases,
  ...refundCases,
  ...orderCases,
  ...smallCases,
  ...attemptCases,
  ...stateCases,
  ...searchCases,
  ...draftCases,
  ...savedReplyCases,
  ...emailCases,
];

for (const open of [openKvTestStore, openPgTestStore]) {
  Deno.test(`store contract on ${open === openKvTestStore ? "kv" : "postgres"}`, async (t) => {
    const s = await open();
    try {
      for (const [name, run] of CASES) {
        await t.step(name, () => run(s.store));
      }
    } finally {
      await s.close();
    }
  });
}
