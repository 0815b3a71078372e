import { registerKernel, type KernelAttrs, type TensorData } from '../backend.js';

// NAdam, RAdam, Adamax and SparseAdam, one fused pass per parameter, in place. The arithmetic is
// PyTorch 1.13's, in its order of operations, so trajectories match its golden fixtures.

function nadamStep([param, grad, expAvg, expAvgSq]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const p = param.data;
  const gr = grad.data;
  const m = expAvg.data;
  const v = expAvgSq.data;
  const { beta1, beta2, eps, weightDecay, bias2, gradStep, momentumStep } = attrs as Record<string, number>;
  for (let i = 0; i < p.length; i++) {
    const g = weightDecay !== 0 ? gr[i] + weightDecay * p[i] : gr[i];
    m[i] = m[i] * beta1 + (1 - beta1) * g;
    v[i] = v[i] * beta2 + (1 - beta2) * g * g;
    const denom = Math.sqrt(v[i] / bias2) + eps;
    p[i] += gradStep * (g / denom);
    p[i] += momentumStep * (m[i] / denom);
  }
  return param;
}

function radamStep([param, grad, expAvg, expAvgSq]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const p = param.data;
  const gr = grad.data;
  const m = expAvg.data;
  const v = expAvgSq.data;
  const { lr, beta1, beta2, eps, weightDecay, bias1, bias2, rect } = attrs as Record<string, number>;
  const bias2Sqrt = Math.sqrt(bias2);
  for (let i = 0; i < p.length; i++) {
    const g = weightDecay !== 0 ? gr[i] + weightDecay * p[i] : gr[i];
    m[i] = m[i] * beta1 + (1 - beta1) * g;
    v[i] = v[i] * beta2 + (1 - beta2) * g * g;
    const corrected = m[i] / bias1;
    // PyTorch: m̂·lr·(√(1 − β₂ᵗ)/(√v + eps))·r while rectified, else m̂·lr.
    p[i] -= rect > 0 ? corrected * lr * (bias2Sqrt / (Math.sqrt(v[i]) + eps)) * rect : corrected * lr;
  }
  return param;
}

function adamaxStep([param, grad, expAvg, expInf]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const p = param.data;
  const gr = grad.data;
  const m = expAvg.data;
  const u = expInf.data;
  const { beta1, beta2, eps, weightDecay, maximize, clr } = attrs as Record<string, number & boolean>;
  for (let i = 0; i < p.length; i++) {
    let g = maximize ? -gr[i] : gr[i];
    if (weightDecay !== 0) g += weightDecay * p[i];
    m[i] = m[i] * beta1 + (1 - beta1) * g;
    u[i] = Math.max(u[i] * beta2, Math.abs(g) + eps);
    p[i] += -clr * (m[i] / u[i]);
  }
  return param;
}

function sparseAdamStep([param, grad, expAvg, expAvgSq]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const p = param.data;
  const gr = grad.data;
  const m = expAvg.data;
  const v = expAvgSq.data;
  const { beta1, beta2, eps, maximize, stepSize, rowSize } = attrs as Record<string, number & boolean>;
  for (let start = 0; start < p.length; start += rowSize) {
    const end = start + rowSize;
    let touched = false;
    for (let i = start; i < end && !touched; i++) touched = gr[i] !== 0;
    if (!touched) continue;
    for (let i = start; i < end; i++) {
      const g = maximize ? -gr[i] : gr[i];
      // PyTorch's sparse form: old + (1 − β)·(new − old).
      m[i] += (g - m[i]) * (1 - beta1);
      v[i] += (g * g - v[i]) * (1 - beta2);
      p[i] += -stepSize * (m[i] / (Math.sqrt(v[i]) + eps));
    }
  }
  return param;
}

export function registerAdamVariantStepKernels(): void {
  registerKernel('cpu', 'nadamStep', nadamStep);
  registerKernel('cpu', 'radamStep', radamStep);
  registerKernel('cpu', 'adamaxStep', adamaxStep);
  registerKernel('cpu', 'sparseAdamStep', sparseAdamStep);
}
