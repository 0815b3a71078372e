// A small line diff (longest common subsequence) for showing how an API report changed; the reports are a
// few thousand lines at most, so the quadratic table is cheap.
export function lineDiff(before, after, context = 2) {
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const ops = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ t: ' ', line: a[i++], at: j++ });
    else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) ops.push({ t: '+', line: b[j], at: j++ });
    else ops.push({ t: '-', line: a[i++], at: j });
  }
  // Keep changed lines and `context` unchanged lines around them, with a marker where lines were skipped.
  const keep = ops.map((op, k) => ops.slice(Math.max(0, k - context), k + context + 1).some((o) => o.t !== ' '));
  const out = [];
  ops.forEach((op, k) => {
    if (keep[k]) {
      if (k > 0 && !keep[k - 1]) out.push(`@@ line ${op.at + 1} @@`);
      out.push(`${op.t} ${op.line}`);
    }
  });
  return out.join('\n');
}
