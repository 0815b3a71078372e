// Broadcasting float32 binary ops on a 2-D view of the output: out[r, j] = a[r·aRow + j·aCol] op
// b[r·bRow + j·bCol] with aCol, bCol ∈ {0, 1}. Same-shape, scalar, bias-row ([M,N] op [N]) and column
// ([M,N] op [M,1]) broadcasts all take this form; the JavaScript side finds the split into rows × n.
// As in unary.ts, `op` is a constant at each inlined call site, so the dispatch folds away.

const ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAXIMUM = 4, MINIMUM = 5;

// @ts-ignore: decorator
@inline function apply(op: i32, x: v128, y: v128): v128 {
  switch (op) {
    case ADD: return f32x4.add(x, y);
    case SUB: return f32x4.sub(x, y);
    case MUL: return f32x4.mul(x, y);
    case DIV: return f32x4.div(x, y);
    // f32x4.max/min propagate NaN from either side, as torch.maximum/minimum do.
    case MAXIMUM: return f32x4.max(x, y);
    case MINIMUM: return f32x4.min(x, y);
  }
  unreachable();
  return x;
}

/** One output row of n values; a vector operand advances, a broadcast one (splat) stays. */
// @ts-ignore: decorator
@inline function row(op: i32, a: usize, aVec: bool, b: usize, bVec: bool, out: usize, n: i32): void {
  const as = v128.load32_splat(a);
  const bs = v128.load32_splat(b);
  const n4 = n & ~3;
  let j = 0;
  for (; j < n4; j += 4) {
    const o = <usize>j << 2;
    v128.store(out + o, apply(op, aVec ? v128.load(a + o) : as, bVec ? v128.load(b + o) : bs));
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    const x = aVec ? v128.load32_splat(a + o) : as;
    const y = bVec ? v128.load32_splat(b + o) : bs;
    store<f32>(out + o, f32x4.extract_lane(apply(op, x, y), 0));
  }
}

// @ts-ignore: decorator
@inline function run(op: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize, rows: i32, n: i32): void {
  const aStep = <usize>aRow << 2;
  const bStep = <usize>bRow << 2;
  const oStep = <usize>n << 2;
  // The four stride patterns get their own loops so the inner loop has no per-element branch.
  for (let r = 0; r < rows; r++, a += aStep, b += bStep, out += oStep) {
    if (aCol == 1 && bCol == 1) row(op, a, true, b, true, out, n);
    else if (aCol == 1) row(op, a, true, b, false, out, n);
    else if (bCol == 1) row(op, a, false, b, true, out, n);
    else row(op, a, false, b, false, out, n);
  }
}

export function binary_add(a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize, rows: i32, n: i32): void { run(ADD, a, aRow, aCol, b, bRow, bCol, out, rows, n); }
export function binary_sub(a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize, rows: i32, n: i32): void { run(SUB, a, aRow, aCol, b, bRow, bCol, out, rows, n); }
export function binary_mul(a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize, rows: i32, n: i32): void { run(MUL, a, aRow, aCol, b, bRow, bCol, out, rows, n); }
export function binary_div(a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize, rows: i32, n: i32): void { run(DIV, a, aRow, aCol, b, bRow, bCol, out, rows, n); }
export function binary_maximum(a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize, rows: i32, n: i32): void { run(MAXIMUM, a, aRow, aCol, b, bRow, bCol, out, rows, n); }
export function binary_minimum(a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize, rows: i32, n: i32): void { run(MINIMUM, a, aRow, aCol, b, bRow, bCol, out, rows, n); }
