/**
 * Synthetic inputs shared by every library: the figures measure speed, not learning, so random data of the
 * right shape is enough, and the same seed gives every library the same numbers. mulberry32 keeps this
 * file free of any library's random generator.
 */
export function uniform(size: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

/** Class labels in [0, classes). */
export function labels(count: number, classes: number, seed: number): Int32Array {
  const u = uniform(count, seed);
  return Int32Array.from(u, (v) => Math.min(classes - 1, Math.floor(((v + 1) / 2) * classes)));
}

/** One-hot rows for `labels`, as a flat [count, classes] array. */
export function oneHot(ls: Int32Array, classes: number): Float32Array {
  const out = new Float32Array(ls.length * classes);
  ls.forEach((l, i) => (out[i * classes + l] = 1));
  return out;
}

export const LR = 0.01;
