// Line diff (Myers' O(ND) algorithm, "An O(ND) Difference Algorithm and Its Variations", 1986)
// and unified-diff hunks with context, like `diff -u`.

/** One line of an edit script. */
export interface Edit {
  op: " " | "-" | "+";
  line: string;
}

/** The shortest edit script turning `a` into `b`. */
export function diffLines(a: readonly string[], b: readonly string[]): Edit[] {
  // Trim the common prefix and suffix first: manifests usually differ in a few lines.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const A = a.slice(start, endA);
  const B = b.slice(start, endB);
  const n = A.length;
  const m = B.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = n === 0 && m === 0;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[max + k - 1] as number) < (v[max + k + 1] as number));
      let x = down ? (v[max + k + 1] as number) : (v[max + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && A[x] === B[y]) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace back from (n, m) to recover the edits.
  const middle: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (vd[max + k - 1] as number) < (vd[max + k + 1] as number));
    const prevK = down ? k + 1 : k - 1;
    const prevX = vd[max + prevK] as number;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      middle.push({ op: " ", line: A[x] as string });
    }
    if (d > 0) {
      if (down) middle.push({ op: "+", line: B[--y] as string });
      else middle.push({ op: "-", line: A[--x] as string });
    }
  }
  middle.reverse();
  return [
    ...a.slice(0, start).map((line): Edit => ({ op: " ", line })),
    ...middle,
    ...a.slice(endA).map((line): Edit => ({ op: " ", line })),
  ];
}

/** A unified-diff hunk: header plus its lines. */
export interface Hunk {
  header: string;
  edits: Edit[];
}

/** Groups an edit script into hunks with `context` unchanged lines around each change. */
export function hunks(edits: readonly Edit[], context = 3): Hunk[] {
  const out: Hunk[] = [];
  const changed = edits.map((e) => e.op !== " ");
  let i = 0;
  while (i < edits.length) {
    if (!changed[i]) {
      i++;
      continue;
    }
    const from = Math.max(0, i - context);
    let to = i;
    // Extend while the next change is within 2*context lines.
    for (let j = i; j < edits.length; j++) {
      if (changed[j]) to = j;
      else if (j - to > 2 * context) break;
    }
    const end = Math.min(edits.length, to + context + 1);
    let oldLine = 1;
    let newLine = 1;
    for (let j = 0; j < from; j++) {
      if ((edits[j] as Edit).op !== "+") oldLine++;
      if ((edits[j] as Edit).op !== "-") newLine++;
    }
    const slice = edits.slice(from, end);
    const oldCount = slice.filter((e) => e.op !== "+").length;
    const newCount = slice.filter((e) => e.op !== "-").length;
    const range = (line: number, count: number) =>
      count === 1 ? `${line}` : `${count === 0 ? line - 1 : line},${count}`;
    out.push({ header: `@@ -${range(oldLine, oldCount)} +${range(newLine, newCount)} @@`, edits: slice });
    i = end;
  }
  return out;
}
