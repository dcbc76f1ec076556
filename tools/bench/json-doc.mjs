// The JSON document the engine benchmarks parse and print, shared by the `engine` and
// `engine-native` suites so that their JSON rows measure the same input.

/** ~`bytes` of JSON: {items: [...]} of small objects (12,000 for 1 MB), as in issue 11. */
export function jsonDoc(bytes) {
  const items = [];
  let size = '{"items":[]}'.length;
  for (let i = 0; size < bytes; i++) {
    const item = {
      id: i,
      name: `item-${i}`,
      tags: ["a", "b", `t${i % 7}`],
      ratio: i / 7,
      nested: { ok: i % 2 === 0, n: null },
    };
    size += JSON.stringify(item).length + 1;
    items.push(item);
  }
  return JSON.stringify({ items });
}
