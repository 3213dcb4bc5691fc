/**
 * The settings page: the effective configuration (read-only, secrets
 * masked). Values are changed in the environment and take effect on restart.
 * @module
 */
import { Layout } from "./layout.tsx";

/** Props of `SettingsPage`. */
export interface SettingsPageProps {
  csrf: string;
  rows: [string, string][];
  storeKind: string;
  sandbox: string | null;
}

/** The settings page. */
export function SettingsPage(p: SettingsPageProps) {
  return (
    <Layout title="Settings" path="/settings" csrf={p.csrf}>
      <p class="muted">
        The effective configuration. Change values in the environment (or{" "}
        <code>.env</code>) and restart. Secrets are never shown.
      </p>
      <section class="card">
        <dl class="facts">
          <dt>Store</dt>
          <dd>{p.storeKind === "kv" ? "Deno KV (embedded)" : "Postgres"}</dd>
          <dt>Sandbox mailbox</dt>
          <dd>{p.sandbox ?? "off"}</dd>
        </dl>
      </section>
      <table>
        <thead>
          <tr>
            <th>Variable</th>
            <th>Value</th>
          </tr>
        </thead>
        <tbody>
          {p.rows.map(([k, v]) => (
            <tr>
              <td>
                <code>{k}</code>
              </td>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
