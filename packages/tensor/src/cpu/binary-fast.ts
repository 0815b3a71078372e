// Monomorphic loops for the arithmetic binary ops on float32 and float64 runs. V8 keeps type feedback per
// function literal (closures made by one factory share it), so a loop that has seen Float32Array,
// Float64Array and Int32Array stops being specialized: hence one literal per dtype, written out twice.
// Each loop computes exactly what the generic strided loop computes (in float64, rounded on store).

/** Op codes of the ops these loops serve; any other op (comparisons, int32 data) takes the generic loop. */
export const ARITH_CODES: Readonly<Record<string, number>> = { add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6 };

/** o[io..io+n) = a[ia..] ∘ b[ib..], both operands advancing. */
export function sameF32(op: number, a: Float32Array, ia: number, b: Float32Array, ib: number, o: Float32Array, io: number, n: number): void {
  const d = ib - ia;
  const e = io - ia;
  const end = ia + n;
  switch (op) {
    case 0: for (let i = ia; i < end; i++) o[i + e] = a[i] + b[i + d]; return;
    case 1: for (let i = ia; i < end; i++) o[i + e] = a[i] - b[i + d]; return;
    case 2: for (let i = ia; i < end; i++) o[i + e] = a[i] * b[i + d]; return;
    case 3: for (let i = ia; i < end; i++) o[i + e] = a[i] / b[i + d]; return;
    case 4: for (let i = ia; i < end; i++) o[i + e] = Math.pow(a[i], b[i + d]); return;
    case 5: for (let i = ia; i < end; i++) { const x = a[i]; const y = b[i + d]; o[i + e] = x > y || x !== x ? x : y; } return;
    case 6: for (let i = ia; i < end; i++) { const x = a[i]; const y = b[i + d]; o[i + e] = x < y || x !== x ? x : y; } return;
  }
}

/** o[io..io+n) = a[ia..] ∘ s. */
export function scalarRightF32(op: number, a: Float32Array, ia: number, s: number, o: Float32Array, io: number, n: number): void {
  const e = io - ia;
  const end = ia + n;
  switch (op) {
    case 0: for (let i = ia; i < end; i++) o[i + e] = a[i] + s; return;
    case 1: for (let i = ia; i < end; i++) o[i + e] = a[i] - s; return;
    case 2: for (let i = ia; i < end; i++) o[i + e] = a[i] * s; return;
    case 3: for (let i = ia; i < end; i++) o[i + e] = a[i] / s; return;
    case 4: for (let i = ia; i < end; i++) o[i + e] = Math.pow(a[i], s); return;
    case 5: for (let i = ia; i < end; i++) { const x = a[i]; o[i + e] = x > s || x !== x ? x : s; } return;
    case 6: for (let i = ia; i < end; i++) { const x = a[i]; o[i + e] = x < s || x !== x ? x : s; } return;
  }
}

/** o[io..io+n) = s ∘ b[ib..]. */
export function scalarLeftF32(op: number, s: number, b: Float32Array, ib: number, o: Float32Array, io: number, n: number): void {
  const e = io - ib;
  const end = ib + n;
  const sNaN = s !== s;
  switch (op) {
    case 0: for (let i = ib; i < end; i++) o[i + e] = s + b[i]; return;
    case 1: for (let i = ib; i < end; i++) o[i + e] = s - b[i]; return;
    case 2: for (let i = ib; i < end; i++) o[i + e] = s * b[i]; return;
    case 3: for (let i = ib; i < end; i++) o[i + e] = s / b[i]; return;
    case 4: for (let i = ib; i < end; i++) o[i + e] = Math.pow(s, b[i]); return;
    case 5: for (let i = ib; i < end; i++) { const y = b[i]; o[i + e] = s > y || sNaN ? s : y; } return;
    case 6: for (let i = ib; i < end; i++) { const y = b[i]; o[i + e] = s < y || sNaN ? s : y; } return;
  }
}

// The float64 twins: the same text over Float64Array (see the note at the top of the file).

export function sameF64(op: number, a: Float64Array, ia: number, b: Float64Array, ib: number, o: Float64Array, io: number, n: number): void {
  const d = ib - ia;
  const e = io - ia;
  const end = ia + n;
  switch (op) {
    case 0: for (let i = ia; i < end; i++) o[i + e] = a[i] + b[i + d]; return;
    case 1: for (let i = ia; i < end; i++) o[i + e] = a[i] - b[i + d]; return;
    case 2: for (let i = ia; i < end; i++) o[i + e] = a[i] * b[i + d]; return;
    case 3: for (let i = ia; i < end; i++) o[i + e] = a[i] / b[i + d]; return;
    case 4: for (let i = ia; i < end; i++) o[i + e] = Math.pow(a[i], b[i + d]); return;
    case 5: for (let i = ia; i < end; i++) { const x = a[i]; const y = b[i + d]; o[i + e] = x > y || x !== x ? x : y; } return;
    case 6: for (let i = ia; i < end; i++) { const x = a[i]; const y = b[i + d]; o[i + e] = x < y || x !== x ? x : y; } return;
  }
}

export function scalarRightF64(op: number, a: Float64Array, ia: number, s: number, o: Float64Array, io: number, n: number): void {
  const e = io - ia;
  const end = ia + n;
  switch (op) {
    case 0: for (let i = ia; i < end; i++) o[i + e] = a[i] + s; return;
    case 1: for (let i = ia; i < end; i++) o[i + e] = a[i] - s; return;
    case 2: for (let i = ia; i < end; i++) o[i + e] = a[i] * s; return;
    case 3: for (let i = ia; i < end; i++) o[i + e] = a[i] / s; return;
    case 4: for (let i = ia; i < end; i++) o[i + e] = Math.pow(a[i], s); return;
    case 5: for (let i = ia; i < end; i++) { const x = a[i]; o[i + e] = x > s || x !== x ? x : s; } return;
    case 6: for (let i = ia; i < end; i++) { const x = a[i]; o[i + e] = x < s || x !== x ? x : s; } return;
  }
}

export function scalarLeftF64(op: number, s: number, b: Float64Array, ib: number, o: Float64Array, io: number, n: number): void {
  const e = io - ib;
  const end = ib + n;
  const sNaN = s !== s;
  switch (op) {
    case 0: for (let i = ib; i < end; i++) o[i + e] = s + b[i]; return;
    case 1: for (let i = ib; i < end; i++) o[i + e] = s - b[i]; return;
    case 2: for (let i = ib; i < end; i++) o[i + e] = s * b[i]; return;
    case 3: for (let i = ib; i < end; i++) o[i + e] = s / b[i]; return;
    case 4: for (let i = ib; i < end; i++) o[i + e] = Math.pow(s, b[i]); return;
    case 5: for (let i = ib; i < end; i++) { const y = b[i]; o[i + e] = s > y || sNaN ? s : y; } return;
    case 6: for (let i = ib; i < end; i++) { const y = b[i]; o[i + e] = s < y || sNaN ? s : y; } return;
  }
}
