// The ops of fixtures/ops-b.json (written by tooling/fixtures/tensor/gen_ops_b.py) as calls of the JS API.
// Shared by this package's golden test, @backprop/autograd's gradient test and @backprop/backend-wasm's
// run of both with the wasm backend, each passing its own instance of the tensor module.

type Op = (xs: any[], o: any) => any;

/** A case of ops-b.json over the caller's tensor encoding `E`: value, indices, and for differentiable cases torch's gradients of (op(inputs) · projection).sum(). */
export interface OpsBCase<E> {
  name: string;
  op: string;
  options: any;
  inputs: E[];
  output: E;
  indices?: E;
  projection?: E;
  grads?: (E | null)[];
  tolerance: { rtol: number; atol: number };
}

/** The op table over the tensor module `T`. The `*Invariant` ops match the generator's sign-invariant functions. */
export function opsB(T: any): Record<string, Op> {
  const diagonalSigns = (r: any): any => {
    const k = Math.min(r.shape[r.rank - 2], r.shape[r.rank - 1]);
    const square = r.narrow(-2, 0, k).narrow(-1, 0, k);
    return T.sign(square.mul(T.eye(k, k, { dtype: r.dtype })).sum(-1)).detach();
  };
  const weights = (k: number, x: any): any => T.arange(1, k + 1, 1, { dtype: x.dtype });
  return {
    avgPool1d: ([x], o) => T.avgPool1d(x, o),
    adaptiveMaxPool1d: ([x], o) => T.adaptiveMaxPool1d(x, o),
    adaptiveMaxPool2d: ([x], o) => T.adaptiveMaxPool2d(x, o),
    interpolate: ([x], o) => T.interpolate(x, o),
    cdist: ([a, b], o) => T.cdist(a, b, o.p === undefined ? undefined : Number(o.p), o.computeMode),
    cosineSimilarity: ([a, b], o) => T.cosineSimilarity(a, b, o.dim, o.eps),
    searchsorted: ([s, v, sorter], o) => T.searchsorted(s, v, { ...o, sorter: sorter ?? null }),
    bincount: ([x, w], o) => T.bincount(x, { ...o, weights: w ?? null }),
    histc: ([x], o) => T.histc(x, o.bins, o.min, o.max),
    inv: ([a]) => T.linalg.inv(a),
    det: ([a]) => T.linalg.det(a),
    solve: ([a, b]) => T.linalg.solve(a, b),
    cholesky: ([a], o) => T.linalg.cholesky(a, o),
    qrInvariant: ([a], o) => {
      const { Q, R } = T.linalg.qr(a, o);
      const d = diagonalSigns(R);
      if (o.mode === 'r') return R.mul(d.unsqueeze(-1)).flatten();
      return T.concat([Q.mul(d.unsqueeze(-2)).flatten(), R.mul(d.unsqueeze(-1)).flatten()]);
    },
    svdInvariant: ([a], o) => {
      const { U, S, Vh } = T.linalg.svd(a, o);
      const k = S.shape[S.rank - 1];
      const uk = U.narrow(-1, 0, k);
      const vk = Vh.narrow(-2, 0, k);
      return T.concat([S.flatten(), uk.mul(weights(k, a)).matmul(vk).flatten(), uk.square().flatten(), vk.square().flatten()]);
    },
    svdvals: ([a]) => T.linalg.svdvals(a),
    eighInvariant: ([a], o) => {
      const { eigenvalues: lam, eigenvectors: v } = T.linalg.eigh(a, o);
      const n = lam.shape[lam.rank - 1];
      return T.concat([lam.flatten(), v.square().flatten(), v.mul(weights(n, a)).matmul(v.transpose(-2, -1)).flatten()]);
    },
    eigvalsh: ([a]) => T.linalg.eigvalsh(a),
  };
}

/** The index-returning variants of the max-pooling ops. */
export function withIndicesB(T: any): Record<string, (x: any, o: any) => { values: any; indices: any }> {
  return { adaptiveMaxPool1d: T.adaptiveMaxPool1dWithIndices, adaptiveMaxPool2d: T.adaptiveMaxPool2dWithIndices };
}
