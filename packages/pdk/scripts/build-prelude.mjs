#!/usr/bin/env node
// Writes dist/prelude.js (the script the compiler evaluates before every plugin bundle).
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildPreludeText } from "./prelude-options.mjs";

const out = fileURLToPath(new URL("../dist/prelude.js", import.meta.url));
const text = await buildPreludeText();
mkdirSync(fileURLToPath(new URL("../dist/", import.meta.url)), { recursive: true });
writeFileSync(out, text);
console.log(`prelude: ${out} (${Buffer.byteLength(text)} bytes)`);
