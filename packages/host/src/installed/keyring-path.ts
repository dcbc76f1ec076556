// The keyring used when --keyring is not given.
import { homedir } from "node:os";
import { join } from "node:path";

/** $CAPSTAN_KEYRING, else `~/.gnupg/pubring.gpg` (Helm's default; GnuPG 2 users export it). */
export function defaultKeyringPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.CAPSTAN_KEYRING || join(env.HOME || homedir(), ".gnupg", "pubring.gpg");
}
