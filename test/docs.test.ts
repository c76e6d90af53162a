// The README's settings table is generated from the schema: if either changes alone, this fails.
// The repository stands on its own: no tracked file points outside it, and the docs' links resolve.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { settingsTable } from "../tools/settings-table.ts";

describe("docs", () => {
  it("readme_settings_table_matches_the_schema", () => {
    const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
    assert.ok(readme.includes(settingsTable()), "run `npm run settings-table` and paste it into README.md");
  });
  it("readme_keeps_the_two_setup_commands_at_the_top", () => {
    const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
    const top = readme.split("\n").slice(0, 20).join("\n");
    assert.match(top, /npm install && npm start\nnpm test/);
  });
  it("no_tracked_file_points_outside_the_repository", () => {
    const root = join(import.meta.dirname, "..");
    // Built from pieces so that this file does not match itself.
    const outside = [".." + "/shared/", "/" + "work/"];
    const files = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" }).split("\0");
    const hits: string[] = [];
    for (const f of files) {
      if (f === "" || f === "package-lock.json" || !existsSync(join(root, f))) continue;
      const text = readFileSync(join(root, f), "latin1");
      if (text.includes("\0")) continue; // binary
      text.split("\n").forEach((line, i) => {
        for (const o of outside) if (line.includes(o)) hits.push(`${f}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.ok(files.length > 50, "git ls-files listed the repository");
    assert.deepEqual(hits, [], "a clone has none of these: put what users need into docs/ and link it");
  });
  it("relative_links_in_the_readme_and_docs_lead_to_files_that_exist", () => {
    const root = join(import.meta.dirname, "..");
    const pages = ["README.md"].concat(
      execFileSync("git", ["ls-files", "docs/*.md"], { cwd: root, encoding: "utf8" }).split("\n").filter((f) => f !== ""),
    );
    const broken: string[] = [];
    for (const page of pages) {
      const text = readFileSync(join(root, page), "utf8");
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1].split("#")[0];
        if (target === "" || /^[a-z]+:/.test(target)) continue; // an anchor on the same page, or a URL
        if (!existsSync(join(root, dirname(page), target))) broken.push(`${page}: ${m[1]}`);
      }
    }
    assert.ok(pages.includes("docs/spec.md") && pages.includes("docs/espruino.md"), "the spec and the Espruino facts are in docs/");
    assert.deepEqual(broken, []);
  });
});
