// Self-signed P-256 certificates for https tests, made by openssl (tools/setup/system-deps.sh):
// `<dir>/<name>.pem` and `<dir>/<name>.key`, valid two days.
import { execFileSync } from "node:child_process";
import { join } from "node:path";

/** Writes `<dir>/<name>.pem` + `.key` for common name `cn` (and subjectAltName `san`, e.g. `IP:127.0.0.1`). */
export function selfSigned(
  dir: string,
  name: string,
  cn: string,
  san?: string,
): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
      .concat(["-keyout", key, "-out", cert, "-days", "2", "-subj", `/CN=${cn}`])
      .concat(san ? ["-addext", `subjectAltName=${san}`] : []),
    { stdio: "ignore" },
  );
  return { cert, key };
}
