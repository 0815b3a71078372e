import { ValueError } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import { Identity, Sequential, layerFromConfig, type LayerConfig } from '../src/index.js';

const nested = (levels: number): LayerConfig =>
  JSON.parse('{"type":"Sequential","layers":['.repeat(levels - 1) + '{"type":"Identity"}' + ']}'.repeat(levels - 1)) as LayerConfig;

describe('layerFromConfig limits', () => {
  it('builds configs nested 128 levels deep and refuses deeper ones, naming the limit', () => {
    let m = layerFromConfig(nested(128));
    for (let level = 1; level < 128; level++) m = (m as Sequential).at(0);
    expect(m).toBeInstanceOf(Identity);
    expect(() => layerFromConfig(nested(129))).toThrow(ValueError);
    expect(() => layerFromConfig(nested(129))).toThrow(/nest more than 128 levels deep \(the nesting limit\)/);
    // Thousands of levels overflowed the stack before the limit.
    expect(() => layerFromConfig(nested(5000))).toThrow(/the nesting limit/);
  });
  it('builds a Sequential of 20,000 layers, named 0 to 19999 in order', () => {
    const m = layerFromConfig({ type: 'Sequential', layers: Array.from({ length: 20000 }, () => ({ type: 'Identity' })) }) as Sequential;
    expect(m.length).toBe(20000);
    const names = m.namedChildren().map(([n]) => n);
    expect(names[0]).toBe('0');
    expect(names[19999]).toBe('19999');
  });
  it('names appended layers by how many were appended', () => {
    const s = new Sequential(new Identity());
    s.append(new Identity()).append(new Identity());
    expect(s.namedChildren().map(([n]) => n)).toEqual(['0', '1', '2']);
    expect(() => s.append(3 as never)).toThrow(/layer 3 must be a Module/);
  });
});
