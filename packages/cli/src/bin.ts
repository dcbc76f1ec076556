// Bundle entry (dist/capstan.cjs): runs main with the process's streams and sets the exit code.
import { realpathSync } from "node:fs";
import { ignoreClosedPipe } from "./closed-pipe.js";
import { main } from "./main.js";

const bin = process.argv[1] ? realpathSync(process.argv[1]) : "capstan";
// Getters: creating process.stdin and friends costs milliseconds (tty or pipe setup, stream
// code), and a Wasm plugin call that writes through WASI never needs them.
main(process.argv.slice(2), {
  get stdin() {
    return process.stdin;
  },
  // A reader closing the pipe early (`capstan --help | head -1`) ends nothing: closed-pipe.ts.
  get stdout() {
    return ignoreClosedPipe(process.stdout);
  },
  get stderr() {
    return ignoreClosedPipe(process.stderr);
  },
  env: process.env,
  bin,
  stdinFd: 0,
}).then((code) => {
  process.exitCode = code;
});
