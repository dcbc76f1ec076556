// Helm's TLS flags, shared by the commands that download over https (`pull`, `plugin repo add`),
// so their names and help read the same everywhere.
import type { OptionSpec } from "./command.js";

/** --cert-file, --key-file, --ca-file, --insecure-skip-tls-verify. */
export const tlsOptions: OptionSpec[] = [
  { flags: "--cert-file <file>", description: "client certificate (PEM) for https servers" },
  { flags: "--key-file <file>", description: "key (PEM) of the client certificate" },
  {
    flags: "--ca-file <file>",
    description: "CA certificates (PEM) that sign the https server's certificate",
  },
  { flags: "--insecure-skip-tls-verify", description: "do not check the https server's certificate" },
];
