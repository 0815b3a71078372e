import { Tensor, type TypedArray } from '@backprop/tensor';

export { Tensor };

export function allocLike(t: Tensor, size: number): TypedArray {
  const Ctor = t.dataSync().constructor as new (n: number) => TypedArray;
  return new Ctor(size);
}

/** Concatenates tensors along axis 0 (they share the trailing shape). */
export function concatRows(parts: Tensor[]): Tensor {
  const first = parts[0];
  const total = parts.reduce((s, p) => s + p.size, 0);
  const out = allocLike(first, total);
  let offset = 0;
  for (const p of parts) {
    out.set(p.dataSync() as never, offset);
    offset += p.size;
  }
  const rows = parts.reduce((s, p) => s + (p.shape[0] ?? 1), 0);
  return new Tensor(out, [rows, ...first.shape.slice(1)], first.dtype);
}
