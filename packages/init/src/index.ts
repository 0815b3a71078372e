/**
 * @backprop/init: seeded weight initializers with PyTorch's formulas: Glorot/Xavier, He/Kaiming, LeCun,
 * orthogonal, truncated normal and the basics. Each comes twice: `name_(t, options)` fills an existing
 * tensor in place (PyTorch's trailing underscore), `name(shape, options)` returns a new one.
 *
 * @packageDocumentation
 */
export { type InitOptions, type CreateOptions } from './options.js';
export { type FanMode, type Fans, calculateFanInAndFanOut } from './fans.js';
export { type Nonlinearity, calculateGain } from './gain.js';
export {
  type UniformOptions,
  type NormalOptions,
  constant_,
  zeros_,
  ones_,
  uniform_,
  normal_,
  constant,
  zeros,
  ones,
  uniform,
  normal,
} from './basic.js';
export { type TruncatedNormalOptions, truncatedNormal_, truncatedNormal } from './truncated-normal.js';
export {
  type XavierOptions,
  type KaimingOptions,
  xavierUniform_,
  xavierNormal_,
  kaimingUniform_,
  kaimingNormal_,
  lecunUniform_,
  lecunNormal_,
  xavierUniform,
  xavierNormal,
  kaimingUniform,
  kaimingNormal,
  lecunUniform,
  lecunNormal,
  glorotUniform_,
  glorotNormal_,
  heUniform_,
  heNormal_,
  glorotUniform,
  glorotNormal,
  heUniform,
  heNormal,
} from './variance-scaling.js';
export { type OrthogonalOptions, orthogonal_, orthogonal } from './orthogonal.js';
