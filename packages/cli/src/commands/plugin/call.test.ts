// What `plugin call` writes: a module's bytes untouched for a pipe, escaped text on a terminal.
import { Writable } from "node:stream";
import { expect, test } from "@jest/globals";
import { writeOutput } from "./call.js";

function sink(isTTY: boolean): { out: Writable; chunks: Buffer[] } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk, _enc, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  Object.assign(out, { isTTY });
  return { out, chunks };
}

test("a pipe gets the raw bytes; a terminal gets escaped text ending in a newline", () => {
  const bytes = new Uint8Array([0x61, 0x1b, 0x5d, 0x30, 0x3b, 0x07, 0x0d, 0xff]);
  const pipe = sink(false);
  writeOutput(bytes, pipe.out);
  expect(Buffer.concat(pipe.chunks)).toEqual(Buffer.from(bytes));
  const tty = sink(true);
  writeOutput(bytes, tty.out);
  expect(Buffer.concat(tty.chunks).toString("utf8")).toBe("a\\u001b]0;\\u0007\\r\ufffd\n");
  const empty = sink(true);
  writeOutput(new Uint8Array(0), empty.out);
  expect(Buffer.concat(empty.chunks).toString("utf8")).toBe("");
});
