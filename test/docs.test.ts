// The README's settings table is generated from the schema: if either changes alone, this fails.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
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
});
