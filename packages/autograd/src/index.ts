/**
 * @backprop/autograd: reverse-mode automatic differentiation for @backprop/tensor. Importing it connects
 * the engine, so `loss.backward()` fills `.grad` of every parameter that requires a gradient.
 *
 * @packageDocumentation
 */
import { ensureInstalled } from './engine.js';
import { registerArithmeticGradients } from './gradients/arithmetic.js';
import { registerStructureGradients } from './gradients/structure.js';
import { registerUnaryGradients } from './gradients/unary.js';
import { registerIndexingGradients } from './gradients/indexing.js';
import { registerConvGradients } from './gradients/conv.js';
import { registerLinalgGradients } from './gradients/linalg.js';
import { registerDistanceGradients } from './gradients/distance.js';
import { registerResampleGradients } from './gradients/resample.js';
import { registerSelectionGradients } from './gradients/selection.js';
import { registerRecurrentGradients } from './gradients/recurrent.js';

ensureInstalled();
registerArithmeticGradients();
registerUnaryGradients();
registerStructureGradients();
registerIndexingGradients();
registerConvGradients();
registerLinalgGradients();
registerDistanceGradients();
registerResampleGradients();
registerSelectionGradients();
registerRecurrentGradients();

export { AutogradError } from './errors.js';
export {
  type GradientRule,
  type GradientContext,
  registerGradient,
  registerNonDifferentiable,
  hasGradient,
} from './registry.js';
export { noGrad, enableGrad, isGradEnabled, gradients, grad, valueAndGrad, type GradientsOptions } from './functional.js';
export { defineOp, type OpDefinition } from './define-op.js';
export { gradCheck, type GradCheckOptions, type GradCheckResult, type GradCheckMismatch } from './grad-check.js';
export { jvp, jacobian, hessian, hvp } from './transforms.js';
export { registerHook, type TensorHook, type HookHandle } from './hooks.js';
