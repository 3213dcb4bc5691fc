/**
 * Postgres migrations: `db/migrations/NNN_name.sql` applied in order, in one
 * transaction under an advisory lock, recorded in `schema_migrations`.
 * Running it again applies nothing.
 * @module
 */
import type postgres from "postgres";

/** Options of `migrate`. */
export interface MigrateOptions {
  /** Folder of `NNN_name.sql` files. */
  dir: string | URL;
}

const FILE = /^(\d{3})_([a-z0-9_]+)\.sql$/;

/** Applies the pending migrations; returns the names applied now. */
export async function migrate(
  sql: postgres.Sql,
  opts: MigrateOptions,
): Promise<string[]> {
  const files: Array<{ version: number; name: string }> = [];
  for await (const e of Deno.readDir(opts.dir)) {
    const m = e.isFile ? FILE.exec(e.name) : null;
    if (m) files.push({ version: Number(m[1]), name: e.name });
  }
  files.sort((a, b) => a.version - b.version);
  const pathOf = (name: string) =>
    opts.dir instanceof URL
      ? new URL(name, opts.dir.href.replace(/\/?$/, "/"))
      : `${opts.dir.replace(/\/+$/, "")}/${name}`;
  const applied: string[] = [];
  await sql.begin(async (tx) => {
    // Serialises concurrent starts; per schema so test schemas do not wait.
    // A migration may take longer than the pool's statement timeout.
    await tx`SET LOCAL statement_timeout = 0`;
    await tx`SET LOCAL lock_timeout = 0`;
    await tx`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.schema_migrations'))`;
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`;
    const rows = await tx<{ version: number }[]>`
      SELECT version FROM schema_migrations`;
    const done = new Set(rows.map((r) => r.version));
    for (const f of files) {
      if (done.has(f.version)) continue;
      const text = await Deno.readTextFile(pathOf(f.name));
      await tx.unsafe(text);
      await tx`INSERT INTO schema_migrations (version, name)
        VALUES (${f.version}, ${f.name})`;
      applied.push(f.name);
    }
  });
  return applied;
}
