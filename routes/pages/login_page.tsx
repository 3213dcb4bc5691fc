/**
 * The sign-in page: a password form, or (without ADMIN_PASSWORD) how to use
 * the one-time link printed at startup.
 * @module
 */
import { Layout } from "./layout.tsx";

/** Props of `LoginPage`. */
export interface LoginPageProps {
  passwordSet: boolean;
  next: string;
  /** The sign-in form's CSRF token (see routes/auth/login_csrf.ts). */
  csrf: string;
  error?: string | null;
}

/** The sign-in page. */
export function LoginPage(p: LoginPageProps) {
  return (
    <Layout title="Sign in">
      <section class="card narrow">
        {p.error ? <p class="alert">{p.error}</p> : null}
        {p.passwordSet
          ? (
            <form method="post" action="/login" class="stack">
              <input type="hidden" name="_csrf" value={p.csrf} />
              <input type="hidden" name="next" value={p.next} />
              <label for="password">Admin password</label>
              <input
                id="password"
                name="password"
                type="password"
                autocomplete="current-password"
                required
                autofocus
              />
              <button type="submit">Sign in</button>
            </form>
          )
          : (
            <div>
              <p>
                No <code>ADMIN_PASSWORD</code>{" "}
                is set. Open the one-time login link that the server printed
                when it started (<code>/login/once?token=…</code>). Each link
                works once; restart the server for a new one.
              </p>
              <p>
                To sign in with a password instead, set{" "}
                <code>ADMIN_PASSWORD</code> in the environment and restart.
              </p>
            </div>
          )}
      </section>
    </Layout>
  );
}
