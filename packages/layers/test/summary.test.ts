import { describe, expect, it } from 'vitest';
import { Linear, Residual, Sequential, Tanh, ReLU, summary } from '../src/index.js';

describe('summary', () => {
  it('tabulates names, types, output shapes and parameter counts, with totals', () => {
    const model = new Sequential(new Linear(2, 4), new Tanh(), new Residual(new Sequential(new Linear(4, 4, { bias: false }), new ReLU())), new Linear(4, 1));
    model.at(3).getParameter('bias')!.requiresGrad = false;
    const s = summary(model, [8, 2]);
    expect(s.rows.map((r) => [r.name, r.type, r.depth, r.outputShape, r.params])).toEqual([
      ['', 'Sequential', 0, [8, 1], 0],
      ['0', 'Linear', 1, [8, 4], 12],
      ['1', 'Tanh', 1, [8, 4], 0],
      ['2', 'Residual', 1, [8, 4], 0],
      ['2.module', 'Sequential', 2, [8, 4], 0],
      ['2.module.0', 'Linear', 3, [8, 4], 16],
      ['2.module.1', 'ReLU', 3, [8, 4], 0],
      ['3', 'Linear', 1, [8, 1], 5],
    ]);
    expect([s.totalParams, s.trainableParams, s.nonTrainableParams]).toEqual([33, 32, 1]);
    const lines = s.text.split('\n');
    expect(lines[0]).toMatch(/^Layer \(type\)\s+Output Shape\s+Param #$/);
    expect(lines).toContain('      0 (Linear)          [8, 4]              16');
    expect(lines.slice(-3)).toEqual(['Total params: 33', 'Trainable params: 32', 'Non-trainable params: 1']);
    // The hooks are gone and no graph was recorded.
    expect(model.parameters().every((p) => p.grad === null)).toBe(true);
    expect(summary(model, [1, 2]).rows[0].outputShape).toEqual([1, 1]);
  });
});
