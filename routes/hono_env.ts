/**
 * The Hono environment of the web app: what middleware puts on the context.
 * @module
 */

/** A signed-in admin session. */
export interface Session {
  id: string;
  csrf: string;
  actor: string;
}

/** Context variables set by the middleware. */
export interface WebEnv {
  Variables: { session: Session | null };
}
