/** Script evaluated before the bundle: the CommonJS `module`/`exports` the bundle fills. */
export const MODULE_SHIM = "var module = { exports: {} }; var exports = module.exports;\n";
