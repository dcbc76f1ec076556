// The PROVENANCE column's words in docs/distribution.md are the ones `capstan plugin list`
// prints: every form describePluginProvenance renders (one sample per status, the record typed
// so that a new status fails the type check until it is sampled here) matches a row of the
// doc's table with the same status, and every row of the table is something the code prints.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@jest/globals";
import { describePluginProvenance, type PluginProvenance } from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const doc = readFileSync(join(here, "..", "..", "..", "docs", "distribution.md"), "utf8");

/** Rows of the table after "Every form it can print": the column text and its status. */
function docRows(): { text: string; status: string; code?: string }[] {
  const start = doc.indexOf("| PROVENANCE | status | meaning |");
  expect(start).toBeGreaterThan(0);
  const rows: { text: string; status: string; code?: string }[] = [];
  for (const line of doc.slice(start).split("\n").slice(2)) {
    if (!line.startsWith("|")) break;
    const [text, status] = line.split(" | ").map((c) => c.replace(/^\|\s*/, ""));
    const t = /^`([^`]+)`$/.exec(text ?? "");
    const s = /^`([^`]+)`(?: \(`([^`]+)`\))?$/.exec(status ?? "");
    expect({ line, text: t?.[1], status: s?.[1] }).toEqual({
      line,
      text: expect.any(String),
      status: expect.any(String),
    });
    rows.push({ text: t![1]!, status: s![1]!, ...(s![2] ? { code: s![2] } : {}) });
  }
  return rows;
}

/** A doc cell as a pattern: `<signer>`, `<key id>`, `<CODE>` stand for any text. */
function pattern(text: string): RegExp {
  const parts = text.split(/<[^>]+>/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join(".+")}$`);
}

const signer = {
  userId: "Jane Doe <jane@example.com>",
  fingerprint: "AB".repeat(20),
  keyId: "0123456789ABCDEF",
};
const samples: Record<PluginProvenance["status"], PluginProvenance[]> = {
  trusted: [{ status: "trusted", signer, hash: "sha256:00" }],
  "verified-at-install": [
    { status: "verified-at-install", signer: signer.userId, keyId: signer.keyId, installedAt: "2026-01-01" },
  ],
  "unknown-key": [
    { status: "unknown-key", keyId: signer.keyId, code: "NO_KEYRING", reason: "no keyring" },
    { status: "unknown-key", keyId: signer.keyId, code: "PROV_UNKNOWN_KEY", reason: "not in the keyring" },
  ],
  unsigned: [
    { status: "unsigned", code: "NOT_VERIFIED", reason: "--verify=false" },
    { status: "unsigned", code: "NO_RECORD", reason: "not installed by capstan" },
  ],
  local: [{ status: "local", reason: "linked directory" }],
  invalid: [{ status: "invalid", code: "PROV_KEY_REVOKED", reason: "revoked", keyId: signer.keyId }],
  mismatched: [{ status: "mismatched", code: "FILES_CHANGED", reason: "edited", keyId: signer.keyId }],
};

test("every PROVENANCE text the code prints is a row of docs/distribution.md's table, and back", async () => {
  const rows = docRows();
  const used = new Set<string>();
  for (const s of Object.values(samples).flat()) {
    const text = await describePluginProvenance(s);
    const code = "code" in s ? s.code : undefined;
    const hits = rows.filter(
      (r) => pattern(r.text).test(text) && r.status === s.status && (r.code === undefined || r.code === code),
    );
    // The most specific row (one naming the code) wins over the general one of its status.
    const hit = hits.find((r) => r.code !== undefined) ?? hits[0];
    expect({ text, status: s.status, documented: hit !== undefined }).toEqual({
      text,
      status: s.status,
      documented: true,
    });
    used.add(hit!.text);
  }
  expect(rows.map((r) => r.text).filter((t) => !used.has(t))).toEqual([]);
  // The no-keyring case names the keyring, never "unknown key".
  const none = await describePluginProvenance(samples["unknown-key"][0]!);
  expect(none).toBe(`keyring missing (${signer.keyId})`);
});
