/**
 * The environment a test gives the agent's child process: a clean one (no
 * variable of the test run leaks into the agent's configuration), plus
 * PATH, HOME and the machine's TLS and proxy settings, which Deno needs to
 * reach npm when transformers.js is installed on first use (behind a proxy
 * with its own certificate authority, without them the download fails).
 * @module
 */

/** Variables passed through when set: paths, certificates, proxies, Deno's cache. */
const PASSED = [
  "PATH",
  "HOME",
  "DENO_DIR",
  "DENO_CERT",
  "DENO_TLS_CA_STORE",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "NODE_EXTRA_CA_CERTS",
  "HTTPS_PROXY",
  "HTTP_PROXY",
  "NO_PROXY",
  "https_proxy",
  "http_proxy",
  "no_proxy",
  "NPM_CONFIG_REGISTRY",
];

/** The child's environment: the passed-through variables, then `env`. */
export function childEnv(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PASSED) {
    const v = Deno.env.get(name);
    if (v !== undefined) out[name] = v;
  }
  return { ...out, ...env };
}
