// Shared fixtures of the distribution tests: signing keys, plugin directories, signed archives.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createProvenance,
  type GenerateKeyOptions,
  generateKey,
  type Keyring,
  keyringFromKeys,
  selectSigningKey,
} from "@capstan/signing";
import { buildPluginArchive, type PluginArchive } from "../../src/package/package-plugin.js";

/** A signing identity: armored keys written to files, and loaded keyrings. */
export interface TestKey {
  fingerprint: string;
  keyId: string;
  userId: string;
  /** Armored public key file (usable as --keyring). */
  publicFile: string;
  /** Armored private key file (usable as --keyring for signing). */
  privateFile: string;
  privateArmored: string;
  publicArmored: string;
  revocationCertificate: string;
  publicKeyring: Keyring;
  secretKeyring: Keyring;
}

/** Generates an Ed25519 key (optionally back-dated and/or expiring) and writes it under `dir`. */
export async function makeKey(
  dir: string,
  name: string,
  options: Pick<GenerateKeyOptions, "date" | "expiresInSeconds"> = {},
): Promise<TestKey> {
  const k = await generateKey({
    name,
    email: `${name.toLowerCase().replace(/\W+/g, ".")}@example.com`,
    ...options,
  });
  mkdirSync(dir, { recursive: true });
  const publicFile = join(dir, `${name.replace(/\W+/g, "-")}.pub.asc`);
  const privateFile = join(dir, `${name.replace(/\W+/g, "-")}.sec.asc`);
  writeFileSync(publicFile, k.publicKeyArmored);
  writeFileSync(privateFile, k.privateKeyArmored);
  return {
    fingerprint: k.fingerprint,
    keyId: k.keyId,
    userId: k.userId,
    publicFile,
    privateFile,
    privateArmored: k.privateKeyArmored,
    publicArmored: k.publicKeyArmored,
    revocationCertificate: k.revocationCertificate,
    publicKeyring: await keyringFromKeys([k.publicKeyArmored]),
    secretKeyring: await keyringFromKeys([k.privateKeyArmored]),
  };
}

/** Options of a test plugin: a legacy (Helm 3 format) subprocess plugin with optional hooks. */
export interface PluginSpec {
  name: string;
  version: string;
  /** Shell snippets per hook event. */
  hooks?: Partial<Record<"install" | "update" | "delete", string>>;
  /** Extra files (relative path -> content). */
  files?: Record<string, string | Uint8Array>;
}

/** Writes a plugin directory and returns its path. */
export function makePluginDir(parent: string, spec: PluginSpec): string {
  const dir = mkdtempSync(join(parent, `${spec.name}-src-`));
  const hooks = spec.hooks
    ? `hooks:\n${Object.entries(spec.hooks)
        .map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`)
        .join("\n")}\n`
    : "";
  writeFileSync(
    join(dir, "plugin.yaml"),
    `name: ${spec.name}\nversion: ${spec.version}\nusage: test plugin ${spec.name}\ncommand: "$HELM_PLUGIN_DIR/run.sh"\n${hooks}`,
  );
  writeFileSync(join(dir, "run.sh"), `#!/bin/sh\necho "${spec.name} ${spec.version} $*"\n`);
  chmodSync(join(dir, "run.sh"), 0o755);
  for (const [rel, content] of Object.entries(spec.files ?? {})) {
    mkdirSync(join(dir, rel, ".."), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

/** Packages a plugin dir into `outDir` and signs it with `key` (unless null). */
export async function signedArchive(
  srcDir: string,
  outDir: string,
  key: TestKey | null,
): Promise<PluginArchive & { path: string; provPath: string }> {
  const archive = await buildPluginArchive(srcDir);
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, archive.fileName);
  writeFileSync(path, archive.bytes);
  const provPath = `${path}.prov`;
  if (key) {
    const signingKey = await selectSigningKey(key.secretKeyring, key.fingerprint);
    const prov = await createProvenance({
      tarballBytes: archive.bytes,
      fileName: archive.fileName,
      signingKey,
    });
    writeFileSync(provPath, prov);
  }
  return { ...archive, path, provPath };
}

/** A temporary directory removed by the caller. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
