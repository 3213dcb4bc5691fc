// deno-lint-ignore-file jsx-key -- hono/jsx needs no keys (it would render them as attributes)
/**
 * The connect page: a "Connect Gmail" button, or, without a Google client,
 * the Google Cloud setup step by step and the sandbox.
 * @module
 */
import { Csrf, Layout } from "./layout.tsx";

/** Props of `ConnectPage`. */
export interface ConnectPageProps {
  csrf: string;
  configured: boolean;
  /** The exact redirect URI to register in Google Cloud. */
  callbackUrl: string;
  /** The sandbox mailbox address, when the sandbox is on. */
  sandboxEmail: string | null;
}

/** The connect page. */
export function ConnectPage(p: ConnectPageProps) {
  return (
    <Layout title="Connect a Gmail account" path="/accounts" csrf={p.csrf}>
      {p.configured
        ? (
          <section class="card">
            <p>
              You will be sent to Google to choose the mailbox and allow the
              agent to read, label and send mail in it. Google then sends you
              back here.
            </p>
            <form method="post" action="/connect" class="stack narrow">
              <Csrf token={p.csrf} />
              <label for="login_hint">Gmail address (optional)</label>
              <input
                id="login_hint"
                name="login_hint"
                type="email"
                placeholder="support@example.com"
              />
              <button type="submit">Connect with Google</button>
            </form>
          </section>
        )
        : <SetupGuide callbackUrl={p.callbackUrl} />}
      {p.sandboxEmail
        ? (
          <section class="card">
            <h2>Sandbox</h2>
            <p>
              The sandbox mailbox <code>{p.sandboxEmail}</code>{" "}
              is connected and served by the built-in Gmail emulator. Try the
              agent from the{" "}
              <a href="/playground">Playground</a>: send a test email into the
              sandbox inbox and press "Poll now".
            </p>
          </section>
        )
        : null}
    </Layout>
  );
}

function SetupGuide(p: { callbackUrl: string }) {
  return (
    <section class="card">
      <h2>Set up a Google OAuth client first</h2>
      <p>
        <code>GOOGLE_CLIENT_ID</code> and <code>GOOGLE_CLIENT_SECRET</code>{" "}
        are not set. To connect a real Gmail account:
      </p>
      <ol class="steps">
        <li>
          Open the Google Cloud console (console.cloud.google.com) and create a
          project, or pick an existing one.
        </li>
        <li>
          APIs &amp; Services → Library: search for <b>Gmail API</b>{" "}
          and press Enable.
        </li>
        <li>
          APIs &amp; Services → OAuth consent screen: choose <b>External</b>
          {" "}
          (or Internal for a Workspace organisation), enter the app name and
          your support address.
        </li>
        <li>
          Add the scopes <code>gmail.readonly</code>, <code>gmail.modify</code>,
          {" "}
          <code>gmail.send</code>, <code>userinfo.email</code> and{" "}
          <code>openid</code>.
        </li>
        <li>
          While the app is in "Testing", add the Gmail address you will connect
          under <b>Test users</b>.
        </li>
        <li>
          APIs &amp; Services → Credentials → Create credentials → OAuth client
          ID, type <b>Web application</b>.
        </li>
        <li>
          Under <b>Authorised redirect URIs</b>, add exactly:
          <pre class="copy">{p.callbackUrl}</pre>
          (set <code>PUBLIC_URL</code>{" "}
          when the agent is reached through another address).
        </li>
        <li>
          Put the client ID and secret in <code>.env</code> as{" "}
          <code>GOOGLE_CLIENT_ID</code> and <code>GOOGLE_CLIENT_SECRET</code>
          {" "}
          and restart the agent.
        </li>
      </ol>
    </section>
  );
}

/** Props of `OAuthErrorPage`. */
export interface OAuthErrorProps {
  title: string;
  message: string;
  /** What to do, one step per entry. */
  steps: string[];
  csrf?: string;
}

/** An OAuth failure with the steps that fix it. */
export function OAuthErrorPage(p: OAuthErrorProps) {
  return (
    <Layout title={p.title} path="/accounts" csrf={p.csrf}>
      <section class="card error">
        <p>{p.message}</p>
        <h2>What to do</h2>
        <ol class="steps">
          {p.steps.map((s) => <li>{s}</li>)}
        </ol>
        <p>
          <a class="button" href="/connect">Back to Connect</a>
        </p>
      </section>
    </Layout>
  );
}
