import { ValueError, fmtShape, type Tensor } from '@backprop/tensor';
import { assign, checkFloat, checkNumber, creating, generatorOf, type InitOptions } from './options.js';

/** Options of `orthogonal_`. */
export interface OrthogonalOptions extends InitOptions {
  /** Scaling factor (default 1). */
  gain?: number;
}

/**
 * Orthonormalizes the columns of the row-major `m × n` matrix `a` (m ≥ n) in place by modified
 * Gram–Schmidt run twice ("twice is enough", Giraud et al. 2005), which restores the orthogonality one
 * pass loses to rounding. Dividing by positive norms gives the Q of the QR decomposition whose R has a
 * positive diagonal: the same Q as PyTorch's `qr` followed by its sign correction.
 */
function orthonormalizeColumns(a: Float64Array, m: number, n: number): void {
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += a[i * n + k] * a[i * n + j];
        for (let i = 0; i < m; i++) a[i * n + j] -= dot * a[i * n + k];
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += a[i * n + j] * a[i * n + j];
    norm = Math.sqrt(norm);
    if (!(norm > 0)) throw new ValueError('orthogonal_', 'the random matrix was rank deficient; draw again');
    for (let i = 0; i < m; i++) a[i * n + j] /= norm;
  }
}

/**
 * Fills `t` in place with a (semi-)orthogonal matrix times `gain` (default 1), as PyTorch's `orthogonal_`
 * (Saxe et al., 2013): `t` viewed as `rows = shape[0]` by `cols = size / rows` gets the Q factor of a
 * standard normal matrix (of its transpose when rows < cols), with R's diagonal made positive, so that
 * QᵀQ = I (rows ≥ cols) or QQᵀ = I (rows < cols). Computed in float64.
 *
 * @example orthogonal_(zeros([4, 4]), { gain: calculateGain('tanh') });
 */
export function orthogonal_(t: Tensor, options: OrthogonalOptions = {}): Tensor {
  checkFloat('orthogonal_', t);
  if (t.rank < 2) throw new ValueError('orthogonal_', `needs a tensor with at least 2 dimensions, got shape ${fmtShape(t.shape)}`);
  const gain = checkNumber('orthogonal_', 'gain', options.gain ?? 1);
  if (t.size === 0) return t;
  const rows = t.shape[0];
  const cols = t.size / rows;
  const g = generatorOf(options);
  const tall = rows >= cols;
  // Work on the tall orientation: m × n with m ≥ n, rows of the flattened tensor or of its transpose.
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  const normal = new Float64Array(rows * cols);
  for (let i = 0; i < normal.length; i++) normal[i] = g.normal();
  const a = tall ? normal : transpose(normal, rows, cols);
  orthonormalizeColumns(a, m, n);
  const q = tall ? a : transpose(a, m, n);
  return assign(t, (data) => {
    for (let i = 0; i < q.length; i++) data[i] = gain * q[i];
  });
}

function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
  return out;
}

/** A new (semi-)orthogonal tensor (see `orthogonal_`). @example orthogonal([4, 4], { gain: 1 }); */
export const orthogonal = creating<OrthogonalOptions>(orthogonal_);
