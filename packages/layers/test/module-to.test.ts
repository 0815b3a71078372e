// Module.to on cpu: every parameter and buffer of every descendant is asked to move; on the host
// backend they stay where they are, and the module is returned for chaining.
import { describe, expect, it } from 'vitest';
import { Generator, randn } from '@backprop/tensor';
import { BatchNorm1d, Linear, Sequential } from '../src/index.js';

describe('Module.to', () => {
  it('returns the module, its tensors the same objects with the same values, on cpu', () => {
    const model = new Sequential(new Linear(3, 4, { generator: new Generator(1) }), new BatchNorm1d(4));
    const tensors = [...model.parameters(), ...model.buffers()];
    const values = tensors.map((t) => Array.from(t.dataSync()));
    expect(model.to()).toBe(model);
    expect(model.to('cpu')).toBe(model);
    expect([...model.parameters(), ...model.buffers()]).toEqual(tensors);
    tensors.forEach((t, i) => {
      expect(t.device).toBe('cpu');
      expect(Array.from(t.dataSync())).toEqual(values[i]);
    });
    expect(model.call(randn([2, 3], { generator: new Generator(2) })).shape).toEqual([2, 4]);
  });
});
