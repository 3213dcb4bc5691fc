/**
 * Refund reply templates: the defaults, the `REFUND_TEMPLATES_FILE` loader
 * and rendering. Placeholders: `{name}`, `{order_id}`, `{date}`, `{days}`,
 * `{signature}`, `{shop}`.
 *
 * The defaults never state internal details (no amounts, limits, statuses
 * or whose order it is). `order_not_found` and `not_owner` are the same text
 * on purpose: the reply must not tell whether an order exists or whose it is.
 * @module
 */
import { z } from "zod";

/** Template names, one per reply the refund flow can send. */
export const TEMPLATE_NAMES = [
  "ask_order_id",
  "ask_order_id_again",
  "ask_which_order",
  "order_not_found",
  "not_owner",
  "refund_requested",
  "already_requested",
  "outside_window",
  "ineligible_status",
  "over_limit",
] as const;

/** A template name. */
export type TemplateName = typeof TEMPLATE_NAMES[number];

/**
 * Templates of a person's verdict from the dashboard (not the agent's):
 * they may state the amount refunded and the person's reason.
 */
export const PERSON_TEMPLATE_NAMES = [
  "refund_issued",
  "rejected_by_person",
] as const;

/** A person's verdict template name. */
export type PersonTemplateName = typeof PERSON_TEMPLATE_NAMES[number];

/** Placeholders a template may use. */
export const PLACEHOLDERS = [
  "name",
  "order_id",
  "date",
  "days",
  "signature",
  "shop",
] as const;

/** Placeholders a person's verdict template may use as well. */
export const PERSON_PLACEHOLDERS = [
  ...PLACEHOLDERS,
  "amount",
  "reason",
] as const;

/** Values for the placeholders (`amount` and `reason`: a person's verdict only). */
export type TemplateVars =
  & Record<typeof PLACEHOLDERS[number], string>
  & { amount?: string; reason?: string };

const CANNOT_VERIFY = `Hello {name},

Thank you for your message. We could not match order {order_id} to the email address you wrote from, so we cannot start a refund for it in this conversation.

Please check the order number in your order confirmation, and write to us from the email address you used when you placed the order.

Kind regards,
{signature}`;

/** The built-in templates. */
export const DEFAULT_TEMPLATES: Record<
  TemplateName | PersonTemplateName,
  string
> = {
  ask_order_id: `Hello {name},

Thank you for contacting {shop} about a refund. So that we can look into it, could you please reply with your order number? You will find it in your order confirmation email; it starts with "ORD".

Kind regards,
{signature}`,
  ask_order_id_again: `Hello {name},

Thank you for your reply. We still need your order number to look into your refund. It is in your order confirmation email and starts with "ORD". Please reply with it and we will take it from there.

Kind regards,
{signature}`,
  ask_which_order: `Hello {name},

Thank you for your message. You mentioned more than one order ({order_id}). We handle one refund request at a time: could you please reply with the one order number you would like us to refund first?

Kind regards,
{signature}`,
  order_not_found: CANNOT_VERIFY,
  not_owner: CANNOT_VERIFY,
  refund_requested: `Hello {name},

Thank you for your message. We have received your refund request for order {order_id} and passed it on for processing. You will hear from us once the refund has been issued.

Kind regards,
{signature}`,
  already_requested: `Hello {name},

Thank you for your message. A refund for order {order_id} was already requested on {date}, so there is nothing more you need to do. You will hear from us once the refund has been issued.

Kind regards,
{signature}`,
  outside_window: `Hello {name},

Thank you for your message. We are sorry, but order {order_id} is outside our {days}-day refund period, so we cannot start a refund for it automatically. If you think there is a reason we should make an exception, reply and ask for a member of our team.

Kind regards,
{signature}`,
  ineligible_status: `Hello {name},

Thank you for your message. We cannot start a refund for order {order_id} at the moment because of its current state. If you have questions about this order, reply and ask for a member of our team.

Kind regards,
{signature}`,
  over_limit: `Hello {name},

Thank you for your message. Your refund request for order {order_id} needs to be looked at by a member of our team, who will get back to you personally.

Kind regards,
{signature}`,
  refund_issued: `Hello {name},

Good news: we have refunded {amount} for order {order_id}. Depending on your bank, it can take a few business days to show on your statement.

Kind regards,
{signature}`,
  rejected_by_person: `Hello {name},

Thank you for your patience. We have looked at your refund request for order {order_id} and we are sorry, but we cannot approve it: {reason}

If you have any questions, just reply to this email.

Kind regards,
{signature}`,
};

/** Renders a template: known placeholders replaced, others left as written. */
export function renderTemplate(
  name: TemplateName | PersonTemplateName,
  vars: TemplateVars,
  overrides: Record<string, string>,
): string {
  const template = overrides[name] ?? DEFAULT_TEMPLATES[name];
  return template.replace(
    /\{(\w+)\}/g,
    (whole, key: string) =>
      (Object.hasOwn(vars, key) ? vars[key as keyof TemplateVars] : null) ??
        whole,
  );
}

const fileSchema = z.record(z.string(), z.string().min(1));

/**
 * Parses the JSON of `REFUND_TEMPLATES_FILE` (an object name → template),
 * reporting every unknown name or placeholder at once.
 */
export function parseRefundTemplates(json: string): Record<string, string> {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    throw new Error(
      `Cannot read the refund templates as the file is not valid JSON: ${
        (e as Error).message
      }`,
      { cause: e },
    );
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    throw new Error(
      "Cannot read the refund templates as the file must be a JSON object of template name to text",
    );
  }
  const problems: string[] = [];
  const known: readonly string[] = [
    ...TEMPLATE_NAMES,
    ...PERSON_TEMPLATE_NAMES,
  ];
  for (const [name, text] of Object.entries(parsed.data)) {
    if (!known.includes(name)) {
      problems.push(
        `unknown template "${name}" (known: ${known.join(", ")})`,
      );
    }
    const allowed: readonly string[] =
      (PERSON_TEMPLATE_NAMES as readonly string[]).includes(name)
        ? PERSON_PLACEHOLDERS
        : PLACEHOLDERS;
    for (const m of text.matchAll(/\{(\w+)\}/g)) {
      if (!allowed.includes(m[1] ?? "")) {
        problems.push(`template "${name}" uses unknown placeholder {${m[1]}}`);
      }
    }
  }
  if (problems.length > 0) {
    throw new Error(`Cannot use the refund templates: ${problems.join("; ")}`);
  }
  return parsed.data;
}

/** Reads and parses `REFUND_TEMPLATES_FILE`; `read` is `Deno.readTextFile`. */
export async function loadRefundTemplates(
  path: string,
  read: (path: string) => Promise<string>,
): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await read(path);
  } catch (e) {
    throw new Error(
      `Cannot read the refund templates file "${path}": ${
        (e as Error).message
      }`,
      { cause: e },
    );
  }
  return parseRefundTemplates(text);
}
