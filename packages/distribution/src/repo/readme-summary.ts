// A description for plugins whose plugin.yaml has none (apiVersion v1 has no description
// field outside a cli config): the first sentence of the README's first paragraph, which is
// what a person reads first too. Capped, so a long README cannot bloat the index.
import type { ArchiveMember } from "../archive/extract.js";

const MAX = 160;

/** First sentence of `<root>/README.md` in the archive, or undefined. */
export function readmeSummary(members: readonly ArchiveMember[], root: string): string | undefined {
  const prefix = root === "" ? "" : `${root}/`;
  const readme = members.find((m) => m.type === "file" && m.path.toLowerCase() === `${prefix}readme.md`);
  if (!readme) return undefined;
  const paragraph: string[] = [];
  for (const line of readme.data.toString("utf8").split("\n")) {
    const text = line.trim();
    const prose = text !== "" && !text.startsWith("#") && !text.startsWith("<") && !text.startsWith("![");
    if (prose) paragraph.push(text);
    else if (paragraph.length > 0) break;
  }
  if (paragraph.length === 0) return undefined;
  const joined = paragraph.join(" ");
  const sentence = /^.*?[.!?](?=\s|$)/.exec(joined)?.[0] ?? joined;
  return sentence.length > MAX ? `${sentence.slice(0, MAX - 3).trimEnd()}...` : sentence;
}
