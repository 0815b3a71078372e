import type { Arena } from '../arena.js';

/** Copies int32 `parts` back to back into a fresh arena allocation and returns its byte offset. */
export function putInt32(arena: Arena, ...parts: readonly Int32Array[]): number {
  const count = parts.reduce((n, p) => n + p.length, 0);
  const ptr = arena.alloc(count);
  // After alloc: growing the memory replaces the buffer, so the view is taken from the current one.
  const view = new Int32Array(arena.f32().buffer, ptr, count);
  let at = 0;
  for (const p of parts) {
    view.set(p, at);
    at += p.length;
  }
  return ptr;
}
