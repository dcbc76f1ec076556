#!/usr/bin/env node
// Writes dist/prelude.js (the script the compiler evaluates before every plugin bundle).
import { build } from "esbuild";
import { preludeOptions } from "./prelude-options.mjs";

const out = new URL("../dist/prelude.js", import.meta.url).pathname;
const r = await build({ ...preludeOptions(), outfile: out, metafile: true });
const bytes = Object.values(r.metafile.outputs)[0]?.bytes ?? 0;
console.log(`prelude: ${out} (${bytes} bytes)`);
