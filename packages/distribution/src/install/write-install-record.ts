// The write side of the install record (`.capstan-install.json`): install and update write it
// once the plugin is in place. The read side and the format live in @capstan/host, which reads
// records for `plugin list` without loading any install code.
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type InstallRecord, RECORD_FILE, RECORD_PROV_FILE } from "@capstan/host";

/** Writes the record (and the .prov copy when given). */
export function writeInstallRecord(pluginDir: string, record: InstallRecord, prov?: string): void {
  writeFileSync(join(pluginDir, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
  if (prov !== undefined) writeFileSync(join(pluginDir, RECORD_PROV_FILE), prov);
}

/** sha256 hex of a buffer (the record's per-file digests). */
export function sha256Hex(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
