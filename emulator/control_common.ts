/**
 * Shared pieces of the control routes: the error they answer with, JSON
 * body validation and the `?user=` lookup.
 * @module
 */
import type { Context } from "hono";
import { z } from "zod";
import type { Mailbox } from "./mailbox.ts";
import { type EmulatorState, findUser } from "./state.ts";

/** An email address field. */
export const Email = z.string().trim().min(3).regex(
  /@/,
  "must be an email address",
);

/** `{"email"}` bodies. */
export const UserBody = z.object({ email: Email });

/** A control-route failure, answered as `{"error": message}`. */
export class ControlError extends Error {
  constructor(readonly status: 400 | 404, message: string) {
    super(message);
  }
}

/** The validated JSON body; ControlError 400 otherwise. */
export async function body<T extends z.ZodType>(
  c: Context,
  schema: T,
): Promise<z.infer<T>> {
  let value: unknown;
  try {
    value = await c.req.json();
  } catch {
    throw new ControlError(
      400,
      "Cannot read the request body as it is not JSON",
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new ControlError(
      400,
      `Invalid body: ${i?.path.join(".") || "body"}: ${i?.message}`,
    );
  }
  return parsed.data;
}

/** The mailbox named by `?user=`; ControlError 404 when unknown. */
export function userParam(state: EmulatorState, c: Context): Mailbox {
  const email = c.req.query("user") ?? "";
  const mb = findUser(state, email);
  if (!mb) {
    throw new ControlError(
      404,
      `No emulated user: current value is "${email}"`,
    );
  }
  return mb;
}
