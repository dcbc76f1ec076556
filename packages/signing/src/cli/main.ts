// capstan-sign: `keygen`, `sign`, `verify` for plugin and chart tarballs (Helm-compatible .prov files).
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { isCapstanError } from "@capstan/manifest";
import { generateKey } from "../keygen.js";
import { keyringFromKeys, loadKeyring, writeKeyring } from "../keyring.js";
import { readPassphraseFile, readPassphraseStream } from "../passphrase.js";
import { signTarball } from "../sign.js";
import { loadSigningKey } from "../signing-key.js";
import { verifyTarball } from "../verify.js";
import { isTerminal, promptNewPassphrase } from "./prompt-passphrase.js";

const usage = `usage:
  capstan-sign keygen --name <name> --email <email> [--out <dir>] [--type ecc|rsa] [--passphrase-file <f>|--passphrase-stdin|--no-passphrase]
      (on a terminal, without a passphrase flag, keygen asks for one)
  capstan-sign sign <tgz> --key <user-id substring|fingerprint> --keyring <secring.gpg|key.asc|dir> [--passphrase-file <f>|--passphrase-stdin] [--out <prov>]
  capstan-sign verify <tgz> --keyring <pubring.gpg|key.asc|dir> [--prov <file>]`;

/** Minimal I/O seam so the command can be run in-process too. */
export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdin: NodeJS.ReadableStream;
}

const defaultIo: CliIo = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  stdin: process.stdin,
};

/** Runs capstan-sign with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "keygen":
        return await keygen(rest, io);
      case "sign":
        return await sign(rest, io);
      case "verify":
        return await verify(rest, io);
      case "-h":
      case "--help":
      case "help":
        io.stdout(`${usage}\n`);
        return 0;
      default:
        io.stderr(`capstan-sign: unknown command ${command ?? "(none)"}\n${usage}\n`);
        return 2;
    }
  } catch (e) {
    if (isCapstanError(e)) {
      io.stderr(`Error: ${e.message}\n${e.hint === undefined ? "" : `Hint: ${e.hint}\n`}`);
      return e.exitCode;
    }
    if (e instanceof TypeError && (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr(`capstan-sign: ${e.message}\n${usage}\n`);
      return 2;
    }
    io.stderr(`capstan-sign: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

async function passphrase(
  values: { "passphrase-file"?: string; "passphrase-stdin"?: boolean },
  io: CliIo,
): Promise<string | undefined> {
  if (values["passphrase-stdin"]) return readPassphraseStream(io.stdin as never);
  if (values["passphrase-file"] !== undefined)
    return readPassphraseFile(values["passphrase-file"], io.stdin as never);
  return undefined;
}

function usageError(io: CliIo, message: string): number {
  io.stderr(`capstan-sign: ${message}\n${usage}\n`);
  return 2;
}

async function keygen(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: "string" },
      email: { type: "string" },
      comment: { type: "string" },
      out: { type: "string", default: "." },
      type: { type: "string", default: "ecc" },
      "passphrase-file": { type: "string" },
      "passphrase-stdin": { type: "boolean" },
      "no-passphrase": { type: "boolean" },
    },
  });
  if (values.name === undefined || values.email === undefined)
    return usageError(io, "keygen needs --name and --email");
  if (values.type !== "ecc" && values.type !== "rsa") return usageError(io, "--type must be ecc or rsa");
  const choices = [
    values["passphrase-file"] !== undefined,
    values["passphrase-stdin"] === true,
    values["no-passphrase"] === true,
  ].filter(Boolean).length;
  if (choices > 1)
    return usageError(io, "keygen takes one of --passphrase-file, --passphrase-stdin and --no-passphrase");
  let pass: string | undefined;
  if (values["no-passphrase"] === true) pass = undefined;
  else if (choices === 1) pass = await passphrase(values, io);
  else if (isTerminal(io.stdin)) pass = await promptNewPassphrase(io.stdin, io.stderr);
  else
    return usageError(
      io,
      "keygen needs --passphrase-file <f>, --passphrase-stdin or --no-passphrase when stdin is not a terminal",
    );
  const key = await generateKey({
    name: values.name,
    email: values.email,
    type: values.type,
    ...(values.comment === undefined ? {} : { comment: values.comment }),
    ...(pass === undefined ? {} : { passphrase: pass }),
  });
  const out = values.out;
  await mkdir(out, { recursive: true });
  const ring = await keyringFromKeys([key.privateKeyArmored]);
  await writeFile(join(out, "public.asc"), key.publicKeyArmored);
  await writeFile(join(out, "private.asc"), key.privateKeyArmored, { mode: 0o600 });
  // Named like gpg's openpgp-revocs.d/<FPR>.rev and not *.asc: loading the output directory as a
  // keyring must not apply (and so revoke the key with) its own revocation certificate.
  const revName = `${key.fingerprint}.rev`;
  await writeFile(join(out, revName), key.revocationCertificate, { mode: 0o600 });
  await writeKeyring(join(out, "pubring.gpg"), ring);
  await writeKeyring(join(out, "secring.gpg"), ring, { secret: true });
  if (pass === undefined || pass === "") {
    io.stderr(
      `warning: the private key in ${join(out, "private.asc")} and ${join(out, "secring.gpg")} is not protected by a passphrase: ` +
        "anyone who can read these files can sign as you; keep them private, or generate a key with a passphrase\n",
    );
  }
  io.stdout(
    `generated key ${key.userId}\nfingerprint: ${key.fingerprint}\nkey id:      ${key.keyId}\n` +
      `wrote ${["public.asc", "private.asc", "pubring.gpg", "secring.gpg"].map((f) => join(out, f)).join(", ")}\n` +
      `revocation certificate: ${join(out, revName)} (store it offline; to revoke the key: \`gpg --import\` it and re-export the keyring)\n` +
      `sign with: capstan-sign sign <tgz> --key ${key.fingerprint} --keyring ${join(out, "secring.gpg")}\n`,
  );
  return 0;
}

async function sign(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      key: { type: "string" },
      keyring: { type: "string" },
      out: { type: "string" },
      "passphrase-file": { type: "string" },
      "passphrase-stdin": { type: "boolean" },
    },
  });
  const [tgz] = positionals;
  if (tgz === undefined || positionals.length > 1) return usageError(io, "sign needs exactly one <tgz>");
  if (values.key === undefined || values.keyring === undefined)
    return usageError(io, "sign needs --key and --keyring");
  // The key is loaded and unlocked before the tarball is read or anything written.
  const signingKey = await loadSigningKey({
    keyring: values.keyring,
    key: values.key,
    passphrase: () => passphrase(values, io),
  });
  const prov = await signTarball(tgz, {
    signingKey,
    ...(values.out === undefined ? {} : { out: values.out }),
  });
  io.stdout(`wrote ${prov}\n`);
  return 0;
}

async function verify(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { keyring: { type: "string" }, prov: { type: "string" } },
  });
  const [tgz] = positionals;
  if (tgz === undefined || positionals.length > 1) return usageError(io, "verify needs exactly one <tgz>");
  if (values.keyring === undefined) return usageError(io, "verify needs --keyring");
  const keyring = await loadKeyring(values.keyring);
  const r = await verifyTarball(tgz, {
    keyring,
    ...(values.prov === undefined ? {} : { provPath: values.prov }),
  });
  io.stdout(
    `Signed by: ${r.signer.userId}\nUsing Key With Fingerprint: ${r.signer.fingerprint}\nKey ID: ${r.signer.keyId}\n` +
      `${r.kind === "chart" ? "Chart" : "Plugin"} Hash Verified: ${r.hash}\n` +
      `${r.kind === "chart" ? "Chart" : "Plugin"}: ${String(r.metadata.name)} ${String(r.metadata.version)}\n`,
  );
  return 0;
}
