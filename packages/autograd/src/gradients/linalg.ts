import {
  add, arange, concat, div, eq, expand, eye, ge, linalg, matmul, mul, narrow, neg, prod, reshape, sub, transpose, unsqueeze, where, type Tensor,
} from '@backprop/tensor';
import { AutogradError } from '../errors.js';
import { registerGradient } from '../registry.js';

// Gradients of torch.linalg's functions, in PyTorch 1.13's formulas, written with tensor ops (and the
// linalg ops themselves), so they are differentiable again. A decomposition's output packs its results
// flat along the last axis; its rule unpacks the gradients of each the same way.

const mT = (x: Tensor): Tensor => transpose(x, -2, -1);

function unpack(packed: Tensor, offset: number, count: number, shape: readonly number[]): Tensor {
  return reshape(narrow(packed, -1, offset, count), [...packed.shape.slice(0, -1), ...shape]);
}

/** The n×n identity in x's dtype. */
const identity = (n: number, x: Tensor): Tensor => eye(n, n, { dtype: x.dtype });

/** The 0/1 mask of the lower triangle (with the diagonal when `diagonal`), in x's dtype. */
function lowerMask(n: number, x: Tensor, diagonal: boolean): Tensor {
  const i = reshape(arange(0, n, 1, { dtype: x.dtype }), [n, 1]);
  const j = reshape(arange(0, n, 1, { dtype: x.dtype }), [1, n]);
  return where(ge(sub(i, j), diagonal ? 0 : 1), 1, 0).astype(x.dtype);
}

/** X·R⁻ᵀ for square invertible R: (R⁻¹·Xᵀ)ᵀ. */
const rightSolveTransposed = (x: Tensor, r: Tensor): Tensor => mT(linalg.solve(r, mT(x)));

/** The square case of the QR gradient: (gQ + Q·copyltu(M))·R⁻ᵀ with M = R·gRᵀ − gQᵀ·Q. */
function qrSquareOrTall(q: Tensor, r: Tensor, gQ: Tensor, gR: Tensor): Tensor {
  const k = r.shape[r.rank - 2];
  const m = sub(matmul(r, mT(gR)), matmul(mT(gQ), q));
  const lower = mul(m, lowerMask(k, m, true));
  const copyltu = add(lower, mT(mul(m, lowerMask(k, m, false))));
  return rightSolveTransposed(add(gQ, matmul(q, copyltu)), r);
}

export function registerLinalgGradients(): void {
  registerGradient('linalgInv', (g, { output }) => [neg(matmul(matmul(mT(output), g), mT(output)))]);
  // d det(A)/dA is the cofactor matrix: det(A)·A⁻ᵀ when A is invertible. If a matrix of the batch is
  // singular, all use its SVD form ±U·diag(Π_{j≠i} s_j)·Vh, which needs no inverse (PyTorch 1.13 returns
  // zeros there instead; later versions, as this one, the cofactors). A determinant on a device cannot be
  // read synchronously: there both forms run and each matrix takes its own (its inverse is NaN if singular).
  registerGradient('linalgDet', (g, { inputs: [a], output }) => {
    const expandLast2 = (t: Tensor): Tensor => unsqueeze(unsqueeze(t, -1), -1);
    const byInverse = (): Tensor => mul(expandLast2(mul(g, output)), mT(linalg.inv(a)));
    const bySvd = (): Tensor => {
      const n = a.shape[a.rank - 1];
      const { U, S, Vh } = linalg.svd(a);
      const diagonal = eq(identity(n, S), 1);
      const others = prod(where(diagonal, 1, expand(unsqueeze(S, -2), [...S.shape.slice(0, -1), n, n])), -1);
      const sign = mul(linalg.det(U), linalg.det(Vh)).detach();
      return mul(expandLast2(mul(g, sign)), matmul(mul(U, unsqueeze(others, -2)), Vh));
    };
    if (!output.storage.isHost) return [where(expandLast2(eq(output, 0)), bySvd(), byInverse())];
    return [output.dataSync().includes(0) ? bySvd() : byInverse()];
  });
  // X = A⁻¹B: gB = A⁻ᵀ·G, gA = −gB·Xᵀ.
  registerGradient('linalgSolve', (g, { inputs: [a], output, needsGrad }) => {
    const gB = linalg.solve(mT(a), g);
    return [needsGrad[0] ? neg(matmul(gB, mT(output))) : null, gB];
  });
  // A = L·Lᵀ: gA = L⁻ᵀ·Φ·L⁻¹ with Φ the symmetric matrix whose lower triangle is tril(Lᵀ·gL) and whose
  // diagonal is half of its diagonal (PyTorch's cholesky_backward; symmetric, as dA is).
  registerGradient('linalgCholesky', (g, { output: l }) => {
    const n = l.shape[l.rank - 1];
    const m = matmul(mT(l), g);
    const phi = mul(add(mul(m, lowerMask(n, m, true)), mT(mul(m, lowerMask(n, m, false)))), 0.5);
    const y = linalg.solve(mT(l), phi);
    return [mT(linalg.solve(mT(l), mT(y)))];
  });
  registerGradient('linalgQr', (g, { inputs: [a], output, attrs }) => {
    const { m, n, qCols, rRows } = attrs as { m: number; n: number; qCols: number; rRows: number };
    if (qCols === m && m > n) {
      throw new AutogradError("qr: the gradient of mode 'complete' needs m ≤ n (its extra columns of Q are not determined by A), as in PyTorch");
    }
    const q = unpack(output, 0, m * qCols, [m, qCols]);
    const r = unpack(output, m * qCols, rRows * n, [rRows, n]);
    const gQ = unpack(g, 0, m * qCols, [m, qCols]);
    const gR = unpack(g, m * qCols, rRows * n, [rRows, n]);
    if (m >= n) return [qrSquareOrTall(q, r, gQ, gR)];
    // A wide A = [X | Y] with X = Q·R₁ square and Y = Q·R₂: Y's dependence on Q adds Y·gR₂ᵀ to gQ.
    const y = narrow(a, -1, m, n - m);
    const gR2 = narrow(gR, -1, m, n - m);
    const gX = qrSquareOrTall(q, narrow(r, -1, 0, m), add(gQ, matmul(y, mT(gR2))), narrow(gR, -1, 0, m));
    return [concat([gX, matmul(q, gR2)], -1)];
  });
  registerGradient('linalgSvd', (g, { output, attrs }) => {
    const { m, n, fullMatrices } = attrs as { m: number; n: number; fullMatrices: boolean };
    const k = Math.min(m, n);
    const uCols = fullMatrices ? m : k;
    const vRows = fullMatrices ? n : k;
    // With full matrices only the first k columns of U and rows of Vh depend on A (PyTorch narrows too).
    const take = (t: Tensor): [Tensor, Tensor, Tensor] => [
      narrow(unpack(t, 0, m * uCols, [m, uCols]), -1, 0, k),
      unpack(t, m * uCols, k, [k]),
      narrow(unpack(t, m * uCols + k, vRows * n, [vRows, n]), -2, 0, k),
    ];
    const [u, s, vh] = take(output);
    const [gU, gS, gVh] = take(g);
    const eyeK = identity(k, s);
    const sRow = unsqueeze(s, -2);
    const sCol = unsqueeze(s, -1);
    const skew = (x: Tensor): Tensor => sub(x, mT(x));
    // E_ij = s_j² − s_i², with 1 on the diagonal so the division leaves it finite (it is replaced by gS).
    const e = add(sub(mul(sRow, sRow), mul(sCol, sCol)), eyeK);
    const offDiagonal = div(add(mul(skew(matmul(mT(u), gU)), sRow), mul(sCol, skew(matmul(vh, mT(gVh))))), e);
    const inner = add(mul(offDiagonal, sub(1, eyeK)), mul(unsqueeze(gS, -1), eyeK));
    let gA = matmul(matmul(u, inner), vh);
    if (m > k) {
      const gUSinv = div(gU, sRow);
      gA = add(gA, matmul(sub(gUSinv, matmul(u, matmul(mT(u), gUSinv))), vh));
    }
    if (n > k) {
      const gVhSinv = div(gVh, sCol);
      gA = add(gA, matmul(u, sub(gVhSinv, matmul(matmul(gVhSinv, mT(vh)), vh))));
    }
    return [gA];
  });
  // A = V·diag(λ)·Vᵀ: gA = V·(diag(gλ) + skew(Vᵀ·gV)/2 / E)·Vᵀ with E_ij = λ_j − λ_i (PyTorch's eigh backward).
  registerGradient('linalgEigh', (g, { output, attrs }) => {
    const n = (attrs as { n: number }).n;
    const lam = unpack(output, 0, n, [n]);
    const v = unpack(output, n, n * n, [n, n]);
    const gL = unpack(g, 0, n, [n]);
    const gV = unpack(g, n, n * n, [n, n]);
    const eyeN = identity(n, lam);
    const vtgv = matmul(mT(v), gV);
    const skew = mul(sub(vtgv, mT(vtgv)), 0.5);
    const e = add(sub(unsqueeze(lam, -2), unsqueeze(lam, -1)), eyeN);
    const inner = add(mul(div(skew, e), sub(1, eyeN)), mul(unsqueeze(gL, -1), eyeN));
    return [matmul(matmul(v, inner), mT(v))];
  });
}
