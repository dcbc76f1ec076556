// A billion-laughs YAML document for the bad-input tests (unit and Wasm): 10 aliases per level,
// 9 levels; the default alias cap of @capstan/pdk/yaml stops it on line 6.

/** The bomb's text. */
export function aliasBomb(): string {
  const names = "abcdefghi";
  const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < 9; i++)
    lines.push(
      `${names[i]}: &${names[i]} [${Array(10)
        .fill(`*${names[i - 1]}`)
        .join(", ")}]`,
    );
  return `${lines.join("\n")}\n`;
}
