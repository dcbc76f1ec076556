// The completion tables name real commands and flags: a renamed command or option cannot leave
// completion offering what no longer exists.
import { expect, test } from "@jest/globals";
import { commandTable } from "../commands.js";
import { complete, flagValues, pluginArguments } from "./complete.js";
import { completionTable } from "./completion-table.js";

const byName = new Map(commandTable.map((s) => [s.name, s]));

test("pluginArguments and flagValues name commands of the table, with their flags and plugin arguments", () => {
  for (const name of Object.keys(pluginArguments)) {
    expect({ name, args: byName.get(name)?.args }).toEqual({ name, args: expect.stringMatching(/^[<[]/) });
  }
  for (const [name, flags] of Object.entries(flagValues)) {
    const spec = byName.get(name);
    for (const flag of Object.keys(flags)) {
      expect({
        name,
        flag,
        found: spec?.options?.some((o) => o.flags.split(/[ ,]+/).includes(flag)),
      }).toEqual({
        name,
        flag,
        found: true,
      });
    }
  }
});

test("an alias completes like its command; a typed plugin name is not offered again", async () => {
  const table = await completionTable();
  const plugins = [
    { name: "a", types: ["postrenderer/v1"], summary: "" },
    { name: "b", types: ["postrenderer/v1", "cli/v1"], summary: "" },
  ];
  expect(complete(["plugin", "ls", "-o", ""], plugins, table).map(([c]) => c)).toEqual([
    "table",
    "json",
    "yaml",
  ]);
  expect(complete(["postrender", "a", ""], plugins, table).map(([c]) => c)).toEqual(["b"]);
  expect(complete(["b", "--"], plugins, table)).toEqual([]);
});
