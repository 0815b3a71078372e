// The indexing and joining ops, one file per family; the package index re-exports this barrel.
export { where, maskedFill } from './indexing-where.js';
export { slice, narrow, flip } from './indexing-slice.js';
export { concat, stack, split, chunk } from './indexing-join.js';
export { gather, indexSelect, scatterAdd, oneHot } from './indexing-gather.js';
export { pad, type PadMode } from './indexing-pad.js';
export { tile, repeatInterleave } from './indexing-repeat.js';
