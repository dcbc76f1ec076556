// Bundle entry (dist/capstan.cjs): runs main with the process's streams and sets the exit code.
import { realpathSync } from "node:fs";
import { main } from "./main.js";

const bin = process.argv[1] ? realpathSync(process.argv[1]) : "capstan";
// Getters: creating process.stdin and friends costs milliseconds (tty or pipe setup, stream
// code), and a Wasm plugin call that writes through WASI never needs them.
main(process.argv.slice(2), {
  get stdin() {
    return process.stdin;
  },
  get stdout() {
    return process.stdout;
  },
  get stderr() {
    return process.stderr;
  },
  env: process.env,
  bin,
  stdinFd: 0,
}).then((code) => {
  process.exitCode = code;
});
