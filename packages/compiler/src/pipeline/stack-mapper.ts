// Builds the bootstrap script that maps error positions back to the author's sources.
// The bundle's source map (sources + VLQ mappings, no contents) is embedded in the snapshot
// and decoded lazily inside the plugin on the first error, so a call that never fails pays
// nothing. Registered through __capstan.setStackMapper before the prelude hides __capstan.

/** Script name the bundle is evaluated under (what stack frames show before mapping). */
export const BUNDLE_FILENAME = "plugin.bundle.js";

/** Source of the bootstrap script for a bundle's source map. */
export function stackMapperScript(map: { sources: string[]; mappings: string }): string {
  const data = JSON.stringify({ s: map.sources, m: map.mappings });
  return `(function () {
  var data = ${data};
  var lines = null;
  var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  function decode() {
    var out = [], src = 0, sl = 0, sc = 0, m = data.m, i = 0;
    var segs = [], gc = 0;
    for (;;) {
      if (i >= m.length || m[i] === ";") { out.push(segs); segs = []; gc = 0; if (i >= m.length) break; i++; continue; }
      if (m[i] === ",") { i++; continue; }
      var f = [], shift = 0, v = 0;
      while (i < m.length && m[i] !== "," && m[i] !== ";") {
        var d = B64.indexOf(m[i++]);
        v += (d & 31) << shift;
        if (d & 32) { shift += 5; } else { f.push(v & 1 ? -(v >>> 1) : v >>> 1); v = 0; shift = 0; }
      }
      gc += f[0];
      if (f.length >= 4) { src += f[1]; sl += f[2]; sc += f[3]; segs.push([gc, src, sl, sc]); }
    }
    return out;
  }
  function lookup(line, col) {
    lines = lines || decode();
    var segs = lines[line - 1];
    if (!segs || segs.length === 0) return null;
    var best = segs[0];
    for (var k = 0; k < segs.length; k++) { if (segs[k][0] <= col - 1) best = segs[k]; else break; }
    return data.s[best[1]] + ":" + (best[2] + 1) + ":" + (best[3] + 1);
  }
  __capstan.setStackMapper(function (text) {
    return text.replace(/${BUNDLE_FILENAME.replace(/\./g, "\\.")}:(\\d+)(?::(\\d+))?/g, function (all, l, c) {
      var r = lookup(+l, c ? +c : 1);
      return r || all;
    });
  });
})();
`;
}
