import { describe, expect, it } from 'vitest';
import { zeros, type Tensor } from '@backprop/tensor';
import type { Module } from '@backprop/layers';
import { encodeSafetensors, modelFromBytes, SamePad2d } from '../src/index.js';

// Its own file: vitest gives each file a fresh layer registry, so nothing here has imported a tfjs model.
describe('saved imports', () => {
  it('a model file with Permute and SamePad2d loads in a program that never imported a tfjs model', () => {
    const config = { type: 'Sequential', layers: [{ type: 'Permute', dims: [0, 3, 1, 2] }, { type: 'SamePad2d', kernelSize: [3, 3], stride: [2, 2], dilation: [1, 1], value: '-Infinity' }] };
    const bytes = encodeSafetensors(new Map(), { format: 'backprop', formatVersion: '1', kind: 'model', config: JSON.stringify(config) });
    const { model } = modelFromBytes(bytes);
    expect(((model as Module).call(zeros([1, 8, 7, 2])) as Tensor).shape).toEqual([1, 2, 9, 9]);
    const pad = [...(model as Module).children()][1] as SamePad2d;
    expect(pad.value).toBe(-Infinity);
  });

  it('SamePad2d pads as TensorFlow: ceil(size / stride) windows, the odd extra at the end', () => {
    // 7 wide, 3×3 stride 2: 4 outputs need 9 columns, one before and one after; 8 high: 4 outputs need 9, 0 before, 1 after.
    const x = zeros([1, 1, 8, 7]).add(1);
    const y = new SamePad2d(3, 2).call(x) as Tensor;
    expect(y.shape).toEqual([1, 1, 9, 9]);
    const rows = y.toArray() as number[][][][];
    expect(rows[0][0][0]).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 0]);
    expect(rows[0][0][8]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => new SamePad2d(0)).toThrow('SamePad2d: kernelSize must be a positive integer or two, got 0');
  });
});
