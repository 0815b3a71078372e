import { ValueError, type Tensor } from '@backprop/tensor';
import { addToParams, dot, flatBuffer, gatherFlatGrad, gatherFlatParams, maxAbs, numel, setParams } from './flat-params.js';
import { checkChoice, checkInteger, checkNumber } from './options.js';
import type { LossClosure, ParamGroup, Params } from './optimizer.js';
import { expectArray, toBuffer, type FloatArray, type SerializedValue } from './state-dict.js';
import { strongWolfe } from './strong-wolfe.js';
import { VectorOptimizer } from './vector-optimizer.js';

/** Options of `LBFGS`. */
export interface LBFGSOptions {
  lr?: number;
  maxIter?: number;
  /** Default `floor(maxIter · 5 / 4)`. */
  maxEval?: number;
  toleranceGrad?: number;
  toleranceChange?: number;
  historySize?: number;
  lineSearchFn?: 'strong_wolfe' | null;
}

/** The resolved `LBFGS` options. */
export type LBFGSGroupOptions = Required<LBFGSOptions>;

/**
 * `LBFGS`'s state, kept (as in PyTorch) under the first parameter: the last direction `d` and step `t`,
 * the curvature pairs (`oldDirs` yᵢ, `oldStps` sᵢ, `ro` 1/yᵢᵀsᵢ), the Hessian scale `hDiag`, and counters.
 */
export interface LBFGSState {
  funcEvals: number;
  nIter: number;
  d: FloatArray | null;
  t: number | null;
  oldDirs: FloatArray[];
  oldStps: FloatArray[];
  ro: number[];
  hDiag: number;
  prevFlatGrad: FloatArray | null;
  prevLoss: number | null;
}

/**
 * Limited-memory BFGS (Nocedal, 1980; after minFunc), PyTorch 1.13's `torch.optim.LBFGS`, for full-batch
 * problems with few parameters. Each `step(closure)` runs up to `maxIter` iterations: the two-loop
 * recursion turns the last `historySize` pairs (sᵢ = θᵢ₊₁ − θᵢ, yᵢ = gᵢ₊₁ − gᵢ; a pair is kept only if
 * yᵢᵀsᵢ > 1e-10) into a direction d ≈ −H⁻¹g with initial scale yᵀs/yᵀy, then steps θ ← θ + t·d with
 * t = lr (t = min(1, 1/‖g‖₁)·lr on the very first iteration) or the step found by a strong-Wolfe line
 * search. It stops when max|g| ≤ `toleranceGrad`, when the step or the loss changes by less than
 * `toleranceChange`, or after `maxIter` iterations or `maxEval` closure calls.
 *
 * Defaults: `lr` 1, `maxIter` 20, `maxEval` maxIter·5/4, `toleranceGrad` 1e-7, `toleranceChange` 1e-9,
 * `historySize` 100, `lineSearchFn` null. One parameter group only (the docstring of PyTorch 1.13 says
 * `toleranceGrad` 1e-5; its code, followed here, uses 1e-7).
 *
 * The closure re-evaluates the model: zero the gradients, compute the loss, call `backward()`, return it.
 * `step` returns the loss at the start of the step.
 *
 * @example
 * const opt = new LBFGS([xy], { lineSearchFn: 'strong_wolfe' });
 * const closure = () => {
 *   opt.zeroGrad();
 *   const loss = rosenbrock(xy);
 *   loss.backward();
 *   return loss;
 * };
 * for (let i = 0; i < 5; i++) opt.step(closure);
 */
export class LBFGS extends VectorOptimizer<LBFGSGroupOptions, LBFGSState> {
  constructor(params: Params<LBFGSGroupOptions>, options: LBFGSOptions = {}) {
    const maxIter = options.maxIter ?? 20;
    const defaults = {
      lr: 1,
      maxIter,
      maxEval: Math.floor((maxIter * 5) / 4),
      toleranceGrad: 1e-7,
      toleranceChange: 1e-9,
      historySize: 100,
      lineSearchFn: null,
    };
    super('LBFGS', params, defaults, options);
  }

  protected checkGroup(group: ParamGroup<LBFGSGroupOptions>, where: string): void {
    checkNumber('LBFGS', 'lr', group.lr, { min: 0, minOpen: true }, where);
    checkInteger('LBFGS', 'maxIter', group.maxIter, 1, where);
    checkInteger('LBFGS', 'maxEval', group.maxEval, 1, where);
    checkNumber('LBFGS', 'toleranceGrad', group.toleranceGrad, { min: 0 }, where);
    checkNumber('LBFGS', 'toleranceChange', group.toleranceChange, { min: 0 }, where);
    checkInteger('LBFGS', 'historySize', group.historySize, 1, where);
    checkChoice('LBFGS', 'lineSearchFn', group.lineSearchFn, ['strong_wolfe', null], where);
  }

  private getState(): LBFGSState {
    return this.vectorState(() => ({
      funcEvals: 0,
      nIter: 0,
      d: null,
      t: null,
      oldDirs: [],
      oldStps: [],
      ro: [],
      hDiag: 1,
      prevFlatGrad: null,
      prevLoss: null,
    }));
  }

  /**
   * Runs up to `maxIter` L-BFGS iterations, calling `closure` for every loss and gradient it needs.
   * Returns the loss the closure gave at the start.
   */
  step(closure?: LossClosure): number {
    if (!closure) {
      throw new ValueError('LBFGS', 'step needs a closure that zeroes the gradients, computes the loss, calls backward() and returns the loss');
    }
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn, historySize } = this.paramGroups[0];
    const params = this.params;
    const state = this.getState();

    const origLoss = this.evaluate(closure);
    let loss = origLoss;
    let currentEvals = 1;
    state.funcEvals += 1;
    let flatGrad = gatherFlatGrad(params);
    if (maxAbs(flatGrad) <= toleranceGrad) return origLoss;

    let { d, t, hDiag, prevFlatGrad, prevLoss } = state;
    const { oldDirs, oldStps, ro } = state;
    const al = new Array<number>(historySize).fill(0);

    let nIter = 0;
    while (nIter < maxIter) {
      nIter++;
      state.nIter++;

      if (state.nIter === 1) {
        d = flatGrad.map((g) => -g);
        oldDirs.length = oldStps.length = ro.length = 0;
        hDiag = 1;
      } else {
        const y = flatGrad.map((g, i) => g - (prevFlatGrad as FloatArray)[i]);
        const s = (d as FloatArray).map((v) => v * (t as number));
        const ys = dot(y, s);
        // Skip pairs without positive curvature: they would make the implied Hessian indefinite.
        if (ys > 1e-10) {
          if (oldDirs.length === historySize) {
            oldDirs.shift();
            oldStps.shift();
            ro.shift();
          }
          oldDirs.push(y);
          oldStps.push(s);
          ro.push(1 / ys);
          hDiag = ys / dot(y, y);
        }
        // Two-loop recursion: q ← −g through the history backwards, scale, then forwards.
        const q = flatGrad.map((g) => -g);
        for (let i = oldDirs.length - 1; i >= 0; i--) {
          al[i] = dot(oldStps[i], q) * ro[i];
          for (let j = 0; j < q.length; j++) q[j] += -al[i] * oldDirs[i][j];
        }
        for (let j = 0; j < q.length; j++) q[j] *= hDiag;
        for (let i = 0; i < oldDirs.length; i++) {
          const beI = dot(oldDirs[i], q) * ro[i];
          for (let j = 0; j < q.length; j++) q[j] += (al[i] - beI) * oldStps[i][j];
        }
        d = q;
      }

      if (prevFlatGrad === null) prevFlatGrad = flatGrad.slice();
      else prevFlatGrad.set(flatGrad);
      prevLoss = loss;

      // The first step is scaled by 1/‖g‖₁: there is no curvature estimate yet.
      t = state.nIter === 1 ? Math.min(1, 1 / sumAbs(flatGrad)) * lr : lr;
      const gtd = dot(flatGrad, d);
      if (gtd > -toleranceChange) break;

      let lsEvals = 0;
      if (lineSearchFn === 'strong_wolfe') {
        const x0 = gatherFlatParams(params);
        const direction = d;
        const objective = (step: number) => {
          addToParams(params, step, direction);
          const value = this.evaluate(closure);
          const grad = gatherFlatGrad(params);
          setParams(params, x0);
          return { loss: value, grad };
        };
        const found = strongWolfe(objective, d, t, loss, flatGrad, gtd);
        ({ loss, grad: flatGrad, t, evals: lsEvals } = found);
        addToParams(params, t, d);
      } else {
        addToParams(params, t, d);
        if (nIter !== maxIter) {
          loss = this.evaluate(closure);
          flatGrad = gatherFlatGrad(params);
          lsEvals = 1;
        }
      }
      const optCond = maxAbs(flatGrad) <= toleranceGrad;
      currentEvals += lsEvals;
      state.funcEvals += lsEvals;

      if (nIter === maxIter || currentEvals >= maxEval || optCond) break;
      if (maxAbs(d) * Math.abs(t) <= toleranceChange) break;
      if (Math.abs(loss - prevLoss) < toleranceChange) break;
    }

    Object.assign(state, { d, t, hDiag, prevFlatGrad, prevLoss });
    return origLoss;
  }

  protected override restoreState(saved: Record<string, SerializedValue>, _param: Tensor): LBFGSState {
    const n = numel(this.params);
    const like = flatBuffer(this.params, 0);
    const vector = (key: string, v: unknown) => (v === null ? null : toBuffer(expectArray('LBFGS', key, v, n), like));
    const list = (key: string) => ((saved[key] as unknown[] | undefined) ?? []).map((v) => vector(key, v) as FloatArray);
    return {
      funcEvals: saved.funcEvals as number,
      nIter: saved.nIter as number,
      d: vector('d', saved.d),
      t: saved.t as number | null,
      oldDirs: list('oldDirs'),
      oldStps: list('oldStps'),
      ro: [...((saved.ro as number[] | undefined) ?? [])],
      hDiag: saved.hDiag as number,
      prevFlatGrad: vector('prevFlatGrad', saved.prevFlatGrad),
      prevLoss: saved.prevLoss as number | null,
    };
  }
}

function sumAbs(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]);
  return s;
}
