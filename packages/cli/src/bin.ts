// Bundle entry (dist/capstan.cjs): runs main with the process's streams and sets the exit code.
import { realpathSync } from "node:fs";
import { main } from "./main.js";

const bin = process.argv[1] ? realpathSync(process.argv[1]) : "capstan";
main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  bin,
}).then((code) => {
  process.exitCode = code;
});
