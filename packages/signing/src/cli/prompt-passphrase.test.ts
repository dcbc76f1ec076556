// The hidden-line reader on a stand-in terminal: raw mode on while reading and off after,
// backspace, split multi-byte characters, Ctrl-C.
import { PassThrough } from "node:stream";
import { expect, test } from "@jest/globals";
import { isTerminal, promptNewPassphrase, readHiddenLine, type TtyInput } from "./prompt-passphrase.js";

type FakeTty = TtyInput & PassThrough & { modes: boolean[] };

function fakeTty(): FakeTty {
  const s = new PassThrough() as unknown as FakeTty;
  s.isTTY = true;
  s.modes = [];
  s.setRawMode = (m: boolean) => s.modes.push(m);
  return s;
}

test("reads one line with raw mode on, handling backspace and split UTF-8", async () => {
  const tty = fakeTty();
  let shown = "";
  const line = readHiddenLine(tty, "pw: ", (s) => (shown += s));
  const euro = Buffer.from("€");
  tty.write(Buffer.from("ab\u007fc"));
  tty.write(euro.subarray(0, 1));
  tty.write(Buffer.concat([euro.subarray(1), Buffer.from("\rignored")]));
  expect(await line).toBe("ac€");
  expect(shown).toBe("pw: \n");
  expect(tty.modes).toEqual([true, false]);
  expect(isTerminal(tty)).toBe(true);
  expect(isTerminal(new PassThrough())).toBe(false);
});

test("Ctrl-C cancels; a mismatching repeat is a usage error", async () => {
  const tty = fakeTty();
  const line = readHiddenLine(tty, "pw: ", () => {});
  tty.write("se\u0003");
  await expect(line).rejects.toMatchObject({ code: "KEYGEN_CANCELLED" });
  expect(tty.modes).toEqual([true, false]);

  const tty2 = fakeTty();
  const both = promptNewPassphrase(tty2, () => {});
  tty2.write("one\r");
  await new Promise((r) => setImmediate(r));
  tty2.write("two\r");
  await expect(both).rejects.toMatchObject({ code: "KEYGEN_PASSPHRASE_MISMATCH", exitCode: 2 });
});
