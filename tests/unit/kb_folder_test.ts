import assert from "node:assert/strict";
import { AppError } from "../../pipeline/errors.ts";
import { sha256Hex } from "../../pipeline/knowledge/kb_cache.ts";
import {
  folderChanges,
  hasChanges,
  writeKbDocument,
} from "../../pipeline/knowledge/kb_folder.ts";

const hashOf = async (text: string) =>
  await sha256Hex(new TextEncoder().encode(text));

Deno.test("writeKbDocument never writes outside the folder, and replaces only when told", async () => {
  const parent = await Deno.makeTempDir({ prefix: "kb_write_" });
  const dir = `${parent}/kb`;
  await Deno.mkdir(dir);
  try {
    for (
      const name of ["../outside.md", "sub/inner.md", "..\\x.md", ".hidden.md"]
    ) {
      await assert.rejects(
        writeKbDocument(dir, name, "## A\n\nText.\n", { replace: true }),
        (e) => e instanceof AppError && e.code === "invalid_input",
        name,
      );
    }
    assert.deepEqual(
      (await Array.fromAsync(Deno.readDir(parent))).map((e) => e.name),
      ["kb"],
    );
    assert.deepEqual(await Array.fromAsync(Deno.readDir(dir)), []);

    await writeKbDocument(dir, "a.md", "one", { replace: false });
    await assert.rejects(
      writeKbDocument(dir, "a.md", "two", { replace: false }),
      (e) => e instanceof AppError && e.code === "conflict",
    );
    assert.equal(await Deno.readTextFile(`${dir}/a.md`), "one");
    await writeKbDocument(dir, "a.md", "two", { replace: true });
    assert.equal(await Deno.readTextFile(`${dir}/a.md`), "two");
    assert.deepEqual(
      (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name),
      ["a.md"],
      "no temporary file left",
    );
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("folderChanges names the files added, changed and removed since the index", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kb_changes_" });
  try {
    await Deno.writeTextFile(`${dir}/same.md`, "same");
    await Deno.writeTextFile(`${dir}/edited.md`, "new text");
    await Deno.writeTextFile(`${dir}/fresh.txt`, "fresh");
    await Deno.writeTextFile(`${dir}/.upload-x.tmp`, "hidden");
    await Deno.writeTextFile(`${dir}/image.png`, "not a KB file");
    const indexed = new Map([
      ["same.md", await hashOf("same")],
      ["edited.md", await hashOf("old text")],
      ["gone.md", await hashOf("gone")],
    ]);
    const c = await folderChanges(dir, indexed);
    assert.deepEqual(c, {
      added: ["fresh.txt"],
      changed: ["edited.md"],
      removed: ["gone.md"],
    });
    assert.ok(hasChanges(c));
    await Deno.writeTextFile(`${dir}/edited.md`, "old text");
    await Deno.remove(`${dir}/fresh.txt`);
    await Deno.writeTextFile(`${dir}/gone.md`, "gone");
    assert.ok(!hasChanges(await folderChanges(dir, indexed)));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
