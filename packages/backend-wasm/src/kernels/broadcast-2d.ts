import { sizeOf } from '@backprop/tensor';
/**
 * How one operand is read on a 2-D [rows, n] view of a broadcast output: element (r, j) is at
 * r·row + j·col, col ∈ {0, 1}.
 */
export interface Operand2d {
  row: number;
  col: number;
}

/** A split of a broadcast binary op into rows × n with both operands in `Operand2d` form. */
export interface Plan2d {
  rows: number;
  n: number;
  a: Operand2d;
  b: Operand2d;
}


/**
 * Whether `dims` of the operand (left-padded with 1s to the output's rank) cover the output's `outDims`
 * entirely ('full'), not at all ('bcast'), or partly (null). Axes of size 1 in the output count as both.
 */
function coverage(dims: readonly number[], outDims: readonly number[]): 'full' | 'bcast' | null {
  let full = true;
  let bcast = true;
  for (let i = 0; i < outDims.length; i++) {
    if (outDims[i] === 1) continue;
    if (dims[i] === outDims[i]) bcast = false;
    else full = false;
  }
  return full ? 'full' : bcast ? 'bcast' : null;
}

function operand2d(shape: readonly number[], outShape: readonly number[], split: number): Operand2d | null {
  const padded = [...new Array<number>(outShape.length - shape.length).fill(1), ...shape];
  const outer = coverage(padded.slice(0, split), outShape.slice(0, split));
  const inner = coverage(padded.slice(split), outShape.slice(split));
  if (!outer || !inner) return null;
  const col = inner === 'full' ? 1 : 0;
  const innerSize = inner === 'full' ? sizeOf(outShape.slice(split)) : 1;
  return { row: outer === 'full' ? innerSize : 0, col };
}

/**
 * Finds the split of the output's axes into outer (rows) and inner (n) where each operand either spans
 * or is broadcast along all the outer axes, and likewise the inner ones. The longest rows are preferred
 * (the first split from the left that works). Returns null for broadcasts of another form, such as
 * [M, 1, K] with [1, N, 1], which the caller leaves to the cpu kernel.
 *
 * @example plan2d([4, 3], [3], [4, 3]); // { rows: 4, n: 3, a: { row: 3, col: 1 }, b: { row: 0, col: 1 } }
 */
export function plan2d(aShape: readonly number[], bShape: readonly number[], outShape: readonly number[]): Plan2d | null {
  for (let split = 0; split <= outShape.length; split++) {
    const a = operand2d(aShape, outShape, split);
    const b = a && operand2d(bShape, outShape, split);
    if (a && b) return { rows: sizeOf(outShape.slice(0, split)), n: sizeOf(outShape.slice(split)), a, b };
  }
  return null;
}
