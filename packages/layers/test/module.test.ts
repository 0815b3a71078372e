import { Generator, Tensor, ValueError, copy_, ones, tensor, zeros } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import { Linear, Module, ReLU, Residual, Sequential, StateDictError, Tanh, functionalCall } from '../src/index.js';

const gen = (seed = 0) => ({ generator: new Generator(seed) });

/** A module with a buffer, as batch norm will have: running statistics saved but not trained. */
class Normalizer extends Module {
  constructor(n: number) {
    super();
    this.registerParameter('scale', ones([n]).requiresGrad_());
    this.registerBuffer('runningMean', zeros([n]));
    this.registerBuffer('scratch', zeros([n]), { persistent: false });
  }
  forward(x: Tensor): Tensor {
    return x.sub(this.getBuffer('runningMean')!).mul(this.getParameter('scale')!);
  }
}

function encoder(seed = 0): Sequential {
  const model = new Sequential(new Linear(3, 4, gen(seed)), new ReLU(), new Normalizer(4));
  const outer = new Sequential();
  outer.registerModule('encoder', model);
  outer.registerModule('head', new Linear(4, 2, { ...gen(seed + 1), bias: false }));
  return outer;
}

describe('Module tree', () => {
  it('names parameters, buffers and modules with dots, as PyTorch', () => {
    const m = encoder();
    expect(m.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['encoder.0.weight', [4, 3]],
      ['encoder.0.bias', [4]],
      ['encoder.2.scale', [4]],
      ['head.weight', [2, 4]],
    ]);
    expect(m.parameters()).toHaveLength(4);
    expect(m.namedBuffers().map(([n]) => n)).toEqual(['encoder.2.runningMean', 'encoder.2.scratch']);
    expect(m.buffers()).toHaveLength(2);
    expect(m.namedModules().map(([n, mod]) => `${n}:${mod.constructor.name}`)).toEqual([
      ':Sequential',
      'encoder:Sequential',
      'encoder.0:Linear',
      'encoder.1:ReLU',
      'encoder.2:Normalizer',
      'head:Linear',
    ]);
    expect(m.namedChildren().map(([n]) => n)).toEqual(['encoder', 'head']);
    expect(m.children()).toHaveLength(2);
    expect(m.getSubmodule('encoder.0')).toBeInstanceOf(Linear);
    expect(() => m.getSubmodule('encoder.7')).toThrow(/getSubmodule: Sequential has no submodule "7" \(looking up "encoder.7"\)/);
    expect(m.parameters(false)).toEqual([]);
  });

  it('lists a shared parameter once', () => {
    const fc = new Linear(2, 2, gen());
    const tied = new Sequential(fc, new Tanh(), fc);
    expect(tied.parameters()).toHaveLength(2);
  });

  it('train() and eval() set the flag on every module', () => {
    const m = encoder();
    expect(m.modules().every((x) => x.training)).toBe(true);
    expect(m.eval()).toBe(m);
    expect(m.modules().some((x) => x.training)).toBe(false);
    m.train();
    expect(m.modules().every((x) => x.training)).toBe(true);
  });

  it('zeroGrad() clears every gradient', () => {
    const m = encoder();
    m.call(ones([2, 3])).sum().backward();
    expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
    m.zeroGrad();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('apply() visits children before the parent', () => {
    const seen: string[] = [];
    encoder().apply((mod) => seen.push(mod.constructor.name));
    expect(seen).toEqual(['Linear', 'ReLU', 'Normalizer', 'Sequential', 'Linear', 'Sequential']);
  });

  it('rejects bad names and a name used for another kind', () => {
    const m = new Normalizer(2);
    expect(() => m.registerParameter('a.b', zeros([1]))).toThrow(/Normalizer.registerParameter: name must be a non-empty string without '.'/);
    expect(() => m.registerModule('scale', new ReLU())).toThrow(/"scale" is already registered as a parameter/);
    expect(() => m.registerParameter('x', [1, 2] as unknown as Tensor)).toThrow(/"x" must be a Tensor or null/);
  });

  it('forward hooks see inputs and outputs of call() until removed', () => {
    const fc = new Linear(3, 2, gen());
    const shapes: number[][] = [];
    const handle = fc.registerForwardHook((_m, inputs, out) => shapes.push([...(inputs[0] as Tensor).shape, ...(out as Tensor).shape]));
    fc.call(ones([5, 3]));
    handle.remove();
    fc.call(ones([5, 3]));
    expect(shapes).toEqual([[5, 3, 5, 2]]);
  });

  it('toConfig() of a module that does not describe itself says what to do', () => {
    expect(() => new Normalizer(2).toConfig()).toThrow(/Normalizer.toConfig: .*override toConfig\(\) and registerLayer\(\)/);
  });
});

describe('stateDict and loadStateDict', () => {
  it('holds parameters and persistent buffers, in PyTorch order and layout', () => {
    const dict = encoder().stateDict();
    expect([...dict.keys()]).toEqual(['encoder.0.weight', 'encoder.0.bias', 'encoder.2.scale', 'encoder.2.runningMean', 'head.weight']);
    expect(dict.get('encoder.0.weight')!.shape).toEqual([4, 3]);
  });

  it('round-trips: a differently seeded model computes the same after loading', () => {
    const a = encoder(1);
    copy_(a.getSubmodule('encoder.2').getBuffer('runningMean')!, tensor([0.1, 0.2, 0.3, 0.4]));
    const b = encoder(2);
    const x = tensor([[0.5, -1, 2], [1, 1, -0.5]]);
    expect(b.call(x).toFlatArray()).not.toEqual(a.call(x).toFlatArray());
    const weight = b.parameters()[0];
    expect(b.loadStateDict(a.stateDict())).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.call(x).toFlatArray()).toEqual(a.call(x).toFlatArray());
    expect(b.parameters()[0]).toBe(weight); // copied in place: optimizers keep their references
    expect(Array.from(b.getSubmodule('encoder.2').getBuffer('runningMean')!.dataSync())).toEqual(Array.from(new Float32Array([0.1, 0.2, 0.3, 0.4])));
  });

  it('accepts a plain record and converts dtypes', () => {
    const fc = new Linear(2, 1, gen());
    fc.loadStateDict({ weight: tensor(new Float64Array([1, 2]), [1, 2]), bias: tensor([0.5]) });
    expect(fc.call(tensor([[1, 1]])).toFlatArray()).toEqual([3.5]);
    expect(fc.weight.dtype).toBe('float32');
  });

  it('reports every missing, unexpected and mis-shaped key in one error, before changing anything', () => {
    const m = encoder();
    const before = m.parameters().map((p) => p.toFlatArray());
    const dict = m.stateDict();
    dict.delete('encoder.0.bias');
    dict.delete('head.weight');
    dict.set('encoder.9.weight', zeros([1]));
    dict.set('encoder.0.weight', zeros([3, 4]));
    dict.set('encoder.2.scale', 'oops' as unknown as Tensor);
    let error: unknown;
    try {
      m.loadStateDict(dict);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StateDictError);
    const e = error as StateDictError;
    expect(e.missingKeys).toEqual(['encoder.0.bias', 'head.weight']);
    expect(e.unexpectedKeys).toEqual(['encoder.9.weight']);
    expect(e.mismatched).toEqual([
      { key: 'encoder.0.weight', expected: [4, 3], got: [3, 4] },
      { key: 'encoder.2.scale', expected: [4], got: null },
    ]);
    expect(e.message).toContain('loadStateDict: error(s) in loading state dict for Sequential');
    expect(e.message).toContain('missing keys: "encoder.0.bias", "head.weight"');
    expect(e.message).toContain('unexpected keys: "encoder.9.weight"');
    expect(e.message).toContain('size mismatch for "encoder.0.weight": the model has shape [4, 3], the state dict a tensor of shape [3, 4]');
    expect(m.parameters().map((p) => p.toFlatArray())).toEqual(before);
  });

  it('with strict: false loads what matches and returns the rest; a wrong shape still throws', () => {
    const m = new Sequential(new Linear(2, 2, gen()), new Linear(2, 1, gen(1)));
    const result = m.loadStateDict({ '0.weight': zeros([2, 2]), extra: zeros([1]) }, { strict: false });
    expect(result).toEqual({ missingKeys: ['0.bias', '1.weight', '1.bias'], unexpectedKeys: ['extra'] });
    expect(m.at(0).getParameter('weight')!.toFlatArray()).toEqual([0, 0, 0, 0]);
    expect(() => m.loadStateDict({ '0.weight': zeros([1, 2]) }, { strict: false })).toThrow(StateDictError);
  });
});

describe('functionalCall', () => {
  it('runs with substituted tensors and restores the originals', () => {
    const m = new Sequential(new Linear(2, 2, gen()), new Normalizer(2));
    const original = m.at(0).getParameter('weight');
    const y = functionalCall(m, { '0.weight': zeros([2, 2]), '0.bias': ones([2]), '1.runningMean': ones([2]) }, ones([1, 2]));
    expect(y.toFlatArray()).toEqual([0, 0]);
    expect(m.at(0).getParameter('weight')).toBe(original);
    expect(m.stateDict().get('1.runningMean')!.toFlatArray()).toEqual([0, 0]);
    expect([...m.stateDict().keys()]).not.toContain('1.scratch');
  });

  it('names an unknown key and leaves the module intact', () => {
    const m = new Residual(new Linear(2, 2, gen()));
    const w = m.parameters()[0];
    expect(() => functionalCall(m, { 'module.weight': zeros([2, 2]), 'module.gamma': zeros([2]) }, ones([1, 2]))).toThrow(
      /functionalCall: Residual has no parameter or buffer named "module.gamma"/,
    );
    expect(m.parameters()[0]).toBe(w);
    expect(() => functionalCall(m, { 'x.weight': zeros([1]) }, ones([1, 2]))).toThrow(ValueError);
  });
});
