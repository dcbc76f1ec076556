// Reads an HTTP response body with a byte cap, so a server that lies about (or omits) its
// Content-Length cannot make the installer buffer more than the archive cap; each chunk
// restarts the response's idle timer (download-timer.ts), so a stalled body times out.
import { ExitCode } from "@capstan/manifest";
import { InstallError } from "../errors.js";
import { timerOf } from "./download-timer.js";

/** The body of `res`, refused with ARCHIVE_UNSAFE once it passes `maxBytes`. */
export async function readCapped(
  res: Response,
  what: string,
  maxBytes: number,
  hint = "raise CAPSTAN_MAX_ARCHIVE_BYTES if the plugin is really that large",
): Promise<Buffer> {
  const tooBig = (): never => {
    throw new InstallError("ARCHIVE_UNSAFE", `${what}: larger than the cap of ${maxBytes} bytes`, {
      hint,
      exitCode: ExitCode.verification,
    });
  };
  const timer = timerOf(res);
  if (Number(res.headers.get("content-length")) > maxBytes) {
    timer?.stop();
    await res.body?.cancel().catch(() => undefined);
    tooBig();
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      timer?.alive();
      total += chunk.length;
      if (total > maxBytes) {
        await res.body.cancel().catch(() => undefined);
        tooBig();
      }
      chunks.push(Buffer.from(chunk));
    }
  } catch (e) {
    throw timer?.timeoutError(e) ?? e;
  } finally {
    timer?.stop();
  }
  return Buffer.concat(chunks);
}
