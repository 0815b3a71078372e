import { registerKernel, type KernelAttrs, type TensorData } from '../backend.js';

// One fused pass per parameter for each optimizer: the parameter and its buffers are updated in place.
// The arithmetic is PyTorch 1.13's, in its order of operations (the optimizers' doc comments give the
// formulas), so trajectories match its golden fixtures. Unused buffers arrive as placeholders.

function sgdStep([param, grad, buffer]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const p = param.data;
  const g = grad.data;
  const buf = buffer.data;
  const { lr, momentum, dampening, weightDecay, nesterov, maximize, first } = attrs as Record<string, number & boolean>;
  for (let i = 0; i < p.length; i++) {
    let d = maximize ? -g[i] : g[i];
    if (weightDecay !== 0) d += weightDecay * p[i];
    if (momentum !== 0) {
      // The buffer starts as a copy of the first (decayed) gradient, not as zeros: PyTorch's rule.
      buf[i] = first ? d : momentum * buf[i] + (1 - dampening) * d;
      d = nesterov ? d + momentum * buf[i] : buf[i];
    }
    p[i] -= lr * d;
  }
  return param;
}

function adamStep([param, grad, expAvg, expAvgSq, maxExpAvgSq]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const p = param.data;
  const gr = grad.data;
  const m = expAvg.data;
  const v = expAvgSq.data;
  const vMax = maxExpAvgSq.data;
  const { beta1, beta2, eps, weightDecay, amsgrad, maximize, decoupled, stepSize, bias2Sqrt, shrink } = attrs as Record<string, number & boolean>;
  for (let i = 0; i < p.length; i++) {
    let g = maximize ? -gr[i] : gr[i];
    if (decoupled) p[i] *= shrink;
    else if (weightDecay !== 0) g += weightDecay * p[i];
    m[i] = m[i] * beta1 + (1 - beta1) * g;
    v[i] = v[i] * beta2 + (1 - beta2) * g * g;
    if (amsgrad) vMax[i] = Math.max(vMax[i], v[i]);
    // Same association as PyTorch: (√v / √(1 − β₂ᵗ)) + ε, then θ − (lr / (1 − β₁ᵗ))·m / denom.
    const denom = Math.sqrt(vMax[i]) / bias2Sqrt + eps;
    p[i] += -stepSize * (m[i] / denom);
  }
  return param;
}

function rmspropStep([param, grad, squareAvg, gradAvg, momentumBuffer]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const p = param.data;
  const gr = grad.data;
  const sq = squareAvg.data;
  const avg = gradAvg.data;
  const buf = momentumBuffer.data;
  const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = attrs as Record<string, number & boolean>;
  for (let i = 0; i < p.length; i++) {
    let g = maximize ? -gr[i] : gr[i];
    if (weightDecay !== 0) g += weightDecay * p[i];
    sq[i] = sq[i] * alpha + (1 - alpha) * g * g;
    let s: number;
    if (centered) {
      avg[i] = avg[i] * alpha + (1 - alpha) * g;
      s = Math.sqrt(sq[i] + -1 * avg[i] * avg[i]) + eps;
    } else {
      s = Math.sqrt(sq[i]) + eps;
    }
    if (momentum > 0) {
      buf[i] = buf[i] * momentum + g / s;
      p[i] += -lr * buf[i];
    } else {
      p[i] += -lr * (g / s);
    }
  }
  return param;
}

function adagradStep([param, grad, sum]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const p = param.data;
  const gr = grad.data;
  const s = sum.data;
  const { clr, weightDecay, eps, maximize } = attrs as Record<string, number & boolean>;
  for (let i = 0; i < p.length; i++) {
    let g = maximize ? -gr[i] : gr[i];
    if (weightDecay !== 0) g += weightDecay * p[i];
    s[i] += g * g;
    p[i] += -clr * (g / (Math.sqrt(s[i]) + eps));
  }
  return param;
}

function adadeltaStep([param, grad, squareAvg, accDelta]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const p = param.data;
  const gr = grad.data;
  const v = squareAvg.data;
  const u = accDelta.data;
  const { lr, rho, eps, weightDecay, maximize } = attrs as Record<string, number & boolean>;
  for (let i = 0; i < p.length; i++) {
    let g = maximize ? -gr[i] : gr[i];
    if (weightDecay !== 0) g += weightDecay * p[i];
    v[i] = v[i] * rho + (1 - rho) * g * g;
    const delta = (Math.sqrt(u[i] + eps) / Math.sqrt(v[i] + eps)) * g;
    u[i] = u[i] * rho + (1 - rho) * delta * delta;
    p[i] += -lr * delta;
  }
  return param;
}

export function registerOptimizerStepKernels(): void {
  registerKernel('cpu', 'sgdStep', sgdStep);
  registerKernel('cpu', 'adamStep', adamStep);
  registerKernel('cpu', 'rmspropStep', rmspropStep);
  registerKernel('cpu', 'adagradStep', adagradStep);
  registerKernel('cpu', 'adadeltaStep', adadeltaStep);
}
