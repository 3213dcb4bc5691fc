/**
 * Refund cases (state, order details, history) and invalid refund attempts;
 * a person approves (marks refunded, with the amount) or rejects (with a
 * reason sent to the customer) an open case. A refused form comes back on
 * the page with its error beside it.
 * @module
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { AppError } from "../pipeline/errors.ts";
import {
  decideRefundAsPerson,
  type PersonVerdict,
} from "../pipeline/refund/person_decision.ts";
import type { Order } from "../pipeline/types.ts";
import type { WebEnv } from "./hono_env.ts";
import { type FormError, RefundsPage } from "./pages/refunds_page.tsx";
import type { WebDeps } from "./web_deps.ts";

const ID = /^[A-Za-z0-9_.:-]{1,100}$/;
const NOTICES: Record<string, string> = {
  approved: "Marked as refunded; the customer was told in the thread.",
  rejected: "Rejected; the reason was sent to the customer in the thread.",
};

const approveForm = z.object({
  amount: z.string().trim().regex(
    /^\d{1,9}([.,]\d{1,2})?$/,
    "The amount must be a number such as 49.99.",
  ).transform((s) => Number(s.replace(",", "."))),
});
const rejectForm = z.object({ reason: z.string().max(2000) });

/** Routes: GET /refunds, POST /refunds/:accountId/:threadId/(approve|reject). */
export function createRefundsRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  const render = async (
    c: Context<WebEnv>,
    extra: { notice?: string | null; formError?: FormError | null } = {},
    status: 200 | 400 | 409 = 200,
  ) => {
    const [cases, attempts, accounts] = await Promise.all([
      deps.store.refunds.listCases({ limit: 200 }),
      deps.store.refunds.listInvalidAttempts(100),
      deps.store.accounts.list(),
    ]);
    const ids = [...new Set(cases.flatMap((rc) => rc.orderIds))];
    const found = await Promise.all(ids.map((id) => deps.store.orders.get(id)));
    const orders = new Map<string, Order>();
    ids.forEach((id, i) => {
      const o = found[i];
      if (o) orders.set(id, o);
    });
    return c.html(
      <RefundsPage
        csrf={c.get("session")!.csrf}
        cases={cases}
        attempts={attempts}
        orders={orders}
        accountEmails={new Map(accounts.map((a) => [a.id, a.email]))}
        notice={extra.notice ?? null}
        formError={extra.formError ?? null}
      />,
      status,
    );
  };

  app.get(
    "/refunds",
    (c) => render(c, { notice: NOTICES[c.req.query("notice") ?? ""] ?? null }),
  );

  for (const kind of ["approve", "reject"] as const) {
    app.post(`/refunds/:accountId/:threadId/${kind}`, async (c) => {
      const accountId = c.req.param("accountId");
      const threadId = c.req.param("threadId");
      if (!ID.test(accountId) || !ID.test(threadId)) {
        throw new AppError("not_found", "No such refund case.");
      }
      const body = await c.req.parseBody();
      const at = { accountId, threadId, kind };
      let verdict: PersonVerdict;
      if (kind === "approve") {
        const f = approveForm.safeParse(body);
        if (!f.success) {
          return render(c, {
            formError: { ...at, message: f.error.issues[0]!.message },
          }, 400);
        }
        verdict = { kind, amount: f.data.amount };
      } else {
        const f = rejectForm.safeParse(body);
        verdict = { kind, reason: f.success ? f.data.reason : "" };
      }
      try {
        await decideRefundAsPerson({
          accountId,
          threadId,
          verdict,
          actor: c.get("session")!.actor,
        }, {
          store: deps.store,
          clock: deps.clock,
          logger: deps.logger,
          mailboxFor: deps.mailboxFor,
          templates: deps.refundTemplates,
        });
      } catch (err) {
        if (
          err instanceof AppError &&
          (err.code === "invalid_input" || err.code === "conflict")
        ) {
          return render(
            c,
            { formError: { ...at, message: err.message } },
            err.code === "conflict" ? 409 : 400,
          );
        }
        throw err;
      }
      return c.redirect(
        `/refunds?notice=${kind === "approve" ? "approved" : "rejected"}`,
        303,
      );
    });
  }
  return app;
}
