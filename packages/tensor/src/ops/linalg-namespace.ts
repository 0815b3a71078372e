// The members of the `linalg` namespace export (`import { linalg } from '@backprop/tensor'; linalg.inv(a)`),
// under torch.linalg's names.
export { inv, det, solve, cholesky, qr, svd, svdvals, eigh, eigvalsh } from './linalg.js';
export { vectorNorm, matrixNorm, linalgNorm as norm } from './norm.js';
