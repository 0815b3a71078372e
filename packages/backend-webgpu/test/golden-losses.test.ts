// The PyTorch golden cases of the losses (packages/losses/test/fixtures: losses.json, pairwise.json,
// sampled.json and ctc.json, written by tooling/fixtures/losses/: values and the gradients of
// (output · upstream).sum()) with webgpu active: inputs, targets and tensor options in GPU buffers (on the
// host for the losses that read them there, see HOST_CHECKED), everything read with `await t.read()`. The
// cases are float64 and run in float32 at `FLOAT32` tolerances.
import '@backprop/autograd';
import { gradients } from '@backprop/autograd';
import * as L from '@backprop/losses';
import * as T from '@backprop/tensor';
import type { Tensor } from '@backprop/tensor';
import { beforeAll, describe, it } from 'vitest';
import { decodeGpu, decodeHost, expectGolden, onWebGpu, readFixture } from './golden.js';
import type { LossCase } from '../../losses/test/fixture-helpers.js';
import { ctcCall, pairwiseCall, sampledCall } from '../../losses/test/named-calls.js';
import type { NamedCase } from '../../losses/test/named-cases.js';
import { startWebGpu } from './helpers.js';



const fixture = readFixture<LossCase>('../../losses/test/fixtures/losses.json');
const LOSSES = L as unknown as Record<string, (input: Tensor, target: Tensor, options: Record<string, unknown>) => Tensor>;
// The losses' golden tests hold float64 to rtol 1e-10; float results widen it to `FLOAT32`.
const TOLERANCE = { rtol: 1e-10, atol: 1e-14 };

/**
 * The losses that check values on the host before computing (probabilities in [0, 1], targets ±1, class
 * indices in range, the per-class weights of the targets): their tensors are given on the host, and the
 * loss's kernels, which upload them, still run on webgpu. (On the GPU they fail the checks' synchronous
 * reads.)
 */
const HOST_CHECKED = ['binaryCrossEntropy', 'hingeLoss', 'multiMarginLoss', 'crossEntropy', 'nllLoss'];

beforeAll(startWebGpu);

describe('losses match PyTorch on webgpu', () => {
  for (const c of fixture.cases) {
    it(c.id, async () => {
      const decode = HOST_CHECKED.includes(c.loss) ? decodeHost : decodeGpu;
      const input = decode(c.input).requiresGrad_();
      const target = decode(c.target);
      if (c.grads.target) target.requiresGrad_();
      const tensorOptions = Object.fromEntries(Object.entries(c.tensorOptions).map(([k, v]) => [k, decode(v)]));
      const upstream = c.upstream ? decodeGpu(c.upstream) : null;
      const { output, found } = onWebGpu(() => {
        const out = LOSSES[c.loss](input, target, { ...c.options, ...tensorOptions });
        const total = upstream ? out.mul(upstream).sum() : out;
        return { output: out, found: gradients(total, c.grads.target ? [input, target] : [input]) };
      });
      await expectGolden(output, c.output, TOLERANCE, 'value');
      await expectGolden(found[0], c.grads.input, TOLERANCE, 'gradient w.r.t. input');
      if (c.grads.target) await expectGolden(found[1], c.grads.target, TOLERANCE, 'gradient w.r.t. target');
    });
  }
});

const NAMED = [
  ['pairwise.json', pairwiseCall(L)],
  ['sampled.json', sampledCall(L)],
  ['ctc.json', ctcCall(L, T)],
] as const;
/**
 * Of the named losses, those that read inputs on the host, given them as host tensors as HOST_CHECKED's:
 * marginRankingLoss and cosineEmbeddingLoss check targets ±1, gaussianNllLoss variances ≥ 0, the sampled
 * and hierarchical softmax losses read their targets and samples to pick rows, ctcLoss its targets and
 * lengths for the alignment lattice.
 */
const NAMED_HOST_CHECKED = ['marginRankingLoss', 'cosineEmbeddingLoss', 'gaussianNllLoss', 'sampledSoftmaxLoss', 'nceLoss', 'hierarchicalSoftmaxLoss', 'ctcLoss'];
// The named losses' golden tests hold float64 to rtol 1e-10 and atol 1e-13.
const NAMED_TOLERANCE = { rtol: 1e-10, atol: 1e-13 };

for (const [file, call] of NAMED) {
  describe(`the losses of ${file} match PyTorch on webgpu`, () => {
    for (const c of readFixture<NamedCase>(`../../losses/test/fixtures/${file}`).cases) {
      it(c.name, async () => {
        const decode = NAMED_HOST_CHECKED.includes(c.loss) ? decodeHost : decodeGpu;
        const inputs = Object.fromEntries(Object.entries(c.inputs).map(([role, t]) => [role, decode(t)]));
        const wrt = Object.keys(c.grads);
        for (const role of wrt) inputs[role].requiresGrad_();
        const upstream = decodeGpu(c.upstream);
        const { output, found } = onWebGpu(() => {
          const out = call(c.loss, inputs, c.options) as Tensor;
          return { output: out, found: gradients(out.mul(upstream).sum(), wrt.map((role) => inputs[role])) };
        });
        await expectGolden(output, c.output, NAMED_TOLERANCE, 'value');
        for (const [i, role] of wrt.entries()) await expectGolden(found[i], c.grads[role], NAMED_TOLERANCE, `gradient w.r.t. ${role}`);
      });
    }
  });
}
