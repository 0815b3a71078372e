import { allocData, type DType, type TypedArray } from '../dtype.js';

// Past this many elements a buffer is not kept: a one-off huge convolution should not pin its memory.
const MAX_CACHED = 1 << 22;
const buffers = new Map<string, TypedArray>();

/**
 * A work buffer of at least `size` elements, reused across kernel calls. Kernels run to completion one at
 * a time and never return a scratch buffer, so one buffer per named slot and dtype is safe; a kernel that
 * needs two at once asks for two slots. Contents are whatever the last user left.
 */
export function scratch(slot: string, dtype: DType, size: number): TypedArray {
  if (size > MAX_CACHED) return allocData(dtype, size);
  const key = `${slot}:${dtype}`;
  const cached = buffers.get(key);
  if (cached && cached.length >= size) return cached;
  const buffer = allocData(dtype, size);
  buffers.set(key, buffer);
  return buffer;
}
