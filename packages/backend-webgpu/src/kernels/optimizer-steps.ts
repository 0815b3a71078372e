import { sizeOf, type DeviceKernel, type DeviceTensorData, type KernelAttrs } from '@backprop/tensor';
import { f32Bits, grid, wgslType, type WebGpuRuntime } from '../runtime.js';
import { bufferOf, ELEMENT_MAIN, metaBinding } from './util.js';

// The fused optimizer updates, in place on the GPU: the same formulas and order of operations as the cpu
// kernels (PyTorch 1.13's), in float32. Inputs arrive as [param, grad, ...state]; a state buffer the
// options leave unused arrives as a placeholder (often the param itself), so it is not bound: WebGPU
// forbids binding one buffer twice where it is written.

interface Step {
  /** Names of the state buffers after param and grad, in input order. */
  state: readonly string[];
  /** Which state buffers these options use. */
  uses(attrs: KernelAttrs): boolean[];
  /** Float parameters, read in WGSL as f0, f1, …. */
  floats(attrs: KernelAttrs): number[];
  /** Boolean options baked into the shader (and its cache key). */
  flags(attrs: KernelAttrs): Record<string, boolean>;
  /** WGSL updating p[i] (and the state arrays) from gr[i]. */
  body(flags: Record<string, boolean>): string;
}

const STEPS: Record<string, Step> = {
  sgdStep: {
    state: ['buf'],
    uses: (a) => [a.momentum !== 0],
    // lr, momentum, dampening, weightDecay
    floats: (a) => [a.lr, a.momentum, a.dampening, a.weightDecay] as number[],
    flags: (a) => ({ maximize: !!a.maximize, decay: a.weightDecay !== 0, momentum: a.momentum !== 0, nesterov: !!a.nesterov, first: !!a.first }),
    body: (f) => `
  var d = ${f.maximize ? '-gr[i]' : 'gr[i]'};
  ${f.decay ? 'd += f3 * p[i];' : ''}
  ${f.momentum ? `buf[i] = ${f.first ? 'd' : 'f1 * buf[i] + (1.0 - f2) * d'};
  d = ${f.nesterov ? 'd + f1 * buf[i]' : 'buf[i]'};` : ''}
  p[i] -= f0 * d;`,
  },
  adamStep: {
    state: ['m1', 'm2', 'mx'],
    uses: (a) => [true, true, !!a.amsgrad],
    // beta1, beta2, eps, weightDecay, stepSize, bias2Sqrt, shrink
    floats: (a) => [a.beta1, a.beta2, a.eps, a.weightDecay, a.stepSize, a.bias2Sqrt, a.shrink] as number[],
    flags: (a) => ({ maximize: !!a.maximize, decoupled: !!a.decoupled, decay: a.weightDecay !== 0, amsgrad: !!a.amsgrad }),
    body: (f) => `
  var g = ${f.maximize ? '-gr[i]' : 'gr[i]'};
  ${f.decoupled ? 'p[i] *= f6;' : f.decay ? 'g += f3 * p[i];' : ''}
  m1[i] = m1[i] * f0 + (1.0 - f0) * g;
  m2[i] = m2[i] * f1 + (1.0 - f1) * g * g;
  ${f.amsgrad ? 'mx[i] = max(mx[i], m2[i]);' : ''}
  let denom = sqrt(${f.amsgrad ? 'mx[i]' : 'm2[i]'}) / f5 + f2;
  p[i] += -f4 * (m1[i] / denom);`,
  },
  rmspropStep: {
    state: ['sq', 'avg', 'buf'],
    uses: (a) => [true, !!a.centered, (a.momentum as number) > 0],
    // lr, alpha, eps, weightDecay, momentum
    floats: (a) => [a.lr, a.alpha, a.eps, a.weightDecay, a.momentum] as number[],
    flags: (a) => ({ maximize: !!a.maximize, decay: a.weightDecay !== 0, centered: !!a.centered, momentum: (a.momentum as number) > 0 }),
    body: (f) => `
  var g = ${f.maximize ? '-gr[i]' : 'gr[i]'};
  ${f.decay ? 'g += f3 * p[i];' : ''}
  sq[i] = sq[i] * f1 + (1.0 - f1) * g * g;
  ${f.centered ? `avg[i] = avg[i] * f1 + (1.0 - f1) * g;
  let s = sqrt(sq[i] + -1.0 * avg[i] * avg[i]) + f2;` : 'let s = sqrt(sq[i]) + f2;'}
  ${f.momentum ? `buf[i] = buf[i] * f4 + g / s;
  p[i] += -f0 * buf[i];` : 'p[i] += -f0 * (g / s);'}`,
  },
  adagradStep: {
    state: ['acc'],
    uses: () => [true],
    // clr, weightDecay, eps
    floats: (a) => [a.clr, a.weightDecay, a.eps] as number[],
    flags: (a) => ({ maximize: !!a.maximize, decay: a.weightDecay !== 0 }),
    body: (f) => `
  var g = ${f.maximize ? '-gr[i]' : 'gr[i]'};
  ${f.decay ? 'g += f1 * p[i];' : ''}
  acc[i] += g * g;
  p[i] += -f0 * (g / (sqrt(acc[i]) + f2));`,
  },
  adadeltaStep: {
    state: ['v', 'u'],
    uses: () => [true, true],
    // lr, rho, eps, weightDecay
    floats: (a) => [a.lr, a.rho, a.eps, a.weightDecay] as number[],
    flags: (a) => ({ maximize: !!a.maximize, decay: a.weightDecay !== 0 }),
    body: (f) => `
  var g = ${f.maximize ? '-gr[i]' : 'gr[i]'};
  ${f.decay ? 'g += f3 * p[i];' : ''}
  v[i] = v[i] * f1 + (1.0 - f1) * g * g;
  let delta = (sqrt(u[i] + f2) / sqrt(v[i] + f2)) * g;
  u[i] = u[i] * f1 + (1.0 - f1) * delta * delta;
  p[i] += -f0 * delta;`,
  },
  // NAdam, RAdam, Adamax and SparseAdam (tensor's adam-variant-steps): scalars of the step count arrive computed.
  nadamStep: {
    state: ['m1', 'm2'],
    uses: () => [true, true],
    // beta1, beta2, eps, weightDecay, bias2, gradStep, momentumStep
    floats: (a) => [a.beta1, a.beta2, a.eps, a.weightDecay, a.bias2, a.gradStep, a.momentumStep] as number[],
    flags: (a) => ({ decay: a.weightDecay !== 0 }),
    body: (f) => `
  var g = gr[i];
  ${f.decay ? 'g += f3 * p[i];' : ''}
  m1[i] = m1[i] * f0 + (1.0 - f0) * g;
  m2[i] = m2[i] * f1 + (1.0 - f1) * g * g;
  let denom = sqrt(m2[i] / f4) + f2;
  p[i] += f5 * (g / denom);
  p[i] += f6 * (m1[i] / denom);`,
  },
  radamStep: {
    state: ['m1', 'm2'],
    uses: () => [true, true],
    // lr, beta1, beta2, eps, weightDecay, bias1, √bias2, rect
    floats: (a) => [a.lr, a.beta1, a.beta2, a.eps, a.weightDecay, a.bias1, Math.sqrt(a.bias2 as number), a.rect] as number[],
    flags: (a) => ({ decay: a.weightDecay !== 0, rectified: (a.rect as number) > 0 }),
    body: (f) => `
  var g = gr[i];
  ${f.decay ? 'g += f4 * p[i];' : ''}
  m1[i] = m1[i] * f1 + (1.0 - f1) * g;
  m2[i] = m2[i] * f2 + (1.0 - f2) * g * g;
  let corrected = m1[i] / f5;
  p[i] -= ${f.rectified ? 'corrected * f0 * (f6 / (sqrt(m2[i]) + f3)) * f7' : 'corrected * f0'};`,
  },
  adamaxStep: {
    state: ['m1', 'u'],
    uses: () => [true, true],
    // beta1, beta2, eps, weightDecay, clr
    floats: (a) => [a.beta1, a.beta2, a.eps, a.weightDecay, a.clr] as number[],
    flags: (a) => ({ maximize: !!a.maximize, decay: a.weightDecay !== 0 }),
    body: (f) => `
  var g = ${f.maximize ? '-gr[i]' : 'gr[i]'};
  ${f.decay ? 'g += f3 * p[i];' : ''}
  m1[i] = m1[i] * f0 + (1.0 - f0) * g;
  u[i] = max(u[i] * f1, abs(g) + f2);
  p[i] += -f4 * (m1[i] / u[i]);`,
  },
  sparseAdamStep: {
    state: ['m1', 'm2'],
    uses: () => [true, true],
    // beta1, beta2, eps, stepSize, rowSize (a float: exact below 2²⁴)
    floats: (a) => [a.beta1, a.beta2, a.eps, a.stepSize, a.rowSize] as number[],
    flags: (a) => ({ maximize: !!a.maximize }),
    // Rows whose gradient is all zero (the embeddings a batch did not touch) are left alone, as on cpu.
    body: (f) => `
  let rs = u32(f4);
  let row = (i / rs) * rs;
  var touched = false;
  for (var j = row; j < row + rs; j++) {
    if (gr[j] != 0.0) { touched = true; break; }
  }
  if (!touched) { return; }
  let g = ${f.maximize ? '-gr[i]' : 'gr[i]'};
  m1[i] += (g - m1[i]) * (1.0 - f0);
  m2[i] += (g * g - m2[i]) * (1.0 - f1);
  p[i] += -f3 * (m1[i] / (sqrt(m2[i]) + f2));`,
  },
};

export const OPTIMIZER_STEPS = Object.keys(STEPS);

export function optimizerStepKernel(rt: WebGpuRuntime, name: string): DeviceKernel {
  const step = STEPS[name];
  return (inputs, attrs) => {
    const [param, grad, ...state] = inputs as DeviceTensorData[];
    wgslType(param.dtype);
    const n = sizeOf(param.shape);
    if (n === 0) return param;
    const uses = step.uses(attrs);
    const flags = step.flags(attrs);
    const bound = step.state.filter((_, k) => uses[k]);
    const names = ['gr', 'p', ...bound];
    const decls = names
      .map((v, k) => `@group(0) @binding(${k}) var<storage, ${v === 'gr' ? 'read' : 'read_write'}> ${v}: array<f32>;`)
      .join('\n');
    const floats = step.floats(attrs);
    const code = (): string => `${decls}
${metaBinding(names.length)}
${ELEMENT_MAIN}
  ${floats.map((_, k) => `let f${k} = bitcast<f32>(m[${k + 1}]);`).join('\n  ')}
  ${step.body(flags)}
}`;
    const buffers = [grad, param, ...state.filter((_, k) => uses[k])].map(bufferOf);
    const key = `${name}:${Object.entries(flags).map(([k, v]) => (v ? k : '')).join(',')}`;
    rt.dispatch(key, code, buffers, [n, ...floats.map(f32Bits)], grid(n));
    return param;
  };
}
