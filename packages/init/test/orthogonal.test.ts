import { Generator, ValueError, matmul, zeros } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import { orthogonal, orthogonal_ } from '../src/index.js';

function expectIdentity(product: { shape: readonly number[]; data: ArrayLike<number> }, scale: number): void {
  const n = product.shape[0];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) expect(product.data[i * n + j]).toBeCloseTo(i === j ? scale : 0, 12);
  }
}

describe('orthogonal_', () => {
  it('gives orthonormal columns for a tall matrix: QᵀQ = I', () => {
    const q = orthogonal([30, 20], { dtype: 'float64', generator: new Generator(1) });
    expectIdentity(matmul(q, q, true, false), 1);
  });

  it('gives orthonormal rows for a wide matrix: QQᵀ = I', () => {
    const q = orthogonal([20, 30], { dtype: 'float64', generator: new Generator(2) });
    expectIdentity(matmul(q, q, false, true), 1);
  });

  it('flattens trailing dimensions (a conv weight [4, 2, 3] is 4 × 6) and scales by gain', () => {
    const q = orthogonal_(zeros([4, 2, 3], { dtype: 'float64' }), { gain: 2, generator: new Generator(3) });
    const flat = q.reshape([4, 6]);
    expectIdentity(matmul(flat, flat, false, true), 4);
  });

  it('keeps R positive: the diagonal of QᵀA is positive for the normal matrix A it came from', () => {
    const g = new Generator(4);
    const replay = g.clone();
    const q = orthogonal_(zeros([5, 3], { dtype: 'float64' }), { generator: g });
    const a = Array.from({ length: 15 }, () => replay.normal());
    for (let j = 0; j < 3; j++) {
      let r = 0;
      for (let i = 0; i < 5; i++) r += q.dataSync()[i * 3 + j] * a[i * 3 + j];
      expect(r).toBeGreaterThan(0);
    }
  });

  it('rejects tensors with fewer than 2 dimensions', () => {
    expect(() => orthogonal([4])).toThrow(ValueError);
    expect(() => orthogonal([4])).toThrow(/orthogonal_: needs a tensor with at least 2 dimensions, got shape \[4\]/);
  });
});
