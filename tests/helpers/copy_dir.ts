/**
 * Copies a folder tree (files and subfolders) into an existing folder, for
 * tests that change a copy of the bundled knowledge base.
 * @module
 */

/** Copies every file under `from` into `to` (created as needed). */
export async function copy(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await copy(`${from}/${e.name}`, `${to}/${e.name}`);
    else if (e.isFile) {
      await Deno.copyFile(`${from}/${e.name}`, `${to}/${e.name}`);
    }
  }
}
