// Reads an HTTP response body with a byte cap, so a server that lies about (or omits) its
// Content-Length cannot make the installer buffer more than the archive cap.
import { ExitCode } from "@capstan/manifest";
import { InstallError } from "../errors.js";

/** The body of `res`, refused with ARCHIVE_UNSAFE once it passes `maxBytes`. */
export async function readCapped(res: Response, what: string, maxBytes: number): Promise<Buffer> {
  const tooBig = (): never => {
    throw new InstallError("ARCHIVE_UNSAFE", `${what}: larger than the cap of ${maxBytes} bytes`, {
      hint: "raise CAPSTAN_MAX_ARCHIVE_BYTES if the plugin is really that large",
      exitCode: ExitCode.verification,
    });
  };
  if (Number(res.headers.get("content-length")) > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    tooBig();
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > maxBytes) {
      await res.body.cancel().catch(() => undefined);
      tooBig();
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
