/**
 * Reads what the Overview needs (the activity of the window, page by page
 * through the cursor, and the review items) and computes it
 * (`overviewStats`). At most `maxEntries` emails are read; `capped` says
 * when the window held more.
 * @module
 */
import { type OverviewStats, overviewStats } from "./overview_stats.ts";
import type { ActivityCursor, Clock, Store } from "../ports.ts";
import type { LedgerEntry } from "../types.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const PAGE = 500;

/** The Overview of the last `days` UTC days. */
export async function loadOverview(
  opts: { days: number; maxEntries?: number },
  deps: { store: Pick<Store, "ledger" | "review">; clock: Clock },
): Promise<OverviewStats & { capped: boolean }> {
  const now = deps.clock.now();
  const start = Date.UTC(
    now.getUTCFullYear(),
    now.getUTCMonth(),
    now.getUTCDate(),
  ) - (opts.days - 1) * DAY_MS;
  const max = opts.maxEntries ?? 20_000;
  const entries: LedgerEntry[] = [];
  let after: ActivityCursor | undefined;
  let capped = false;
  for (;;) {
    const page = await deps.store.ledger.listActivity({ limit: PAGE, after });
    const inWindow = page.filter((e) => e.claimedAt.getTime() >= start);
    entries.push(...inWindow);
    const last = page.at(-1);
    if (!last || page.length < PAGE || inWindow.length < page.length) break;
    if (entries.length >= max) {
      capped = true;
      break;
    }
    after = {
      at: last.claimedAt,
      accountId: last.accountId,
      gmailId: last.gmailId,
    };
  }
  const reviewItems = (await deps.store.review.list({})).filter((i) =>
    i.createdAt.getTime() >= start
  );
  return {
    ...overviewStats({ entries, reviewItems }, { now, days: opts.days }),
    capped,
  };
}
