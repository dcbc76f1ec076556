#!/usr/bin/env node
// capstan-sign: keygen, sign, verify. The implementation is the built library (dist/).
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
