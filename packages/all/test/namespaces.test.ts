import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as tensorPackage from '@backprop/tensor';
import * as autogradPackage from '@backprop/autograd';
import * as ioPackage from '@backprop/io';
import * as all from '../src/index.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
};

describe('@backprop/all', () => {
  it('has one namespace per dependency, named after the package', () => {
    const expected = Object.keys(manifest.dependencies).map((name) => name.replace('@backprop/', '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()));
    expect(Object.keys(all).sort()).toEqual(expected.sort());
  });

  it('re-exports each package whole under its namespace', () => {
    expect(Object.keys(all.tensor).sort()).toEqual(Object.keys(tensorPackage).sort());
    expect(all.tensor.tensor).toBe(tensorPackage.tensor);
    expect(all.autograd.gradCheck).toBe(autogradPackage.gradCheck);
    expect(all.io.decodeSafetensors).toBe(ioPackage.decodeSafetensors);
  });

  it('differentiates through the tensor namespace because autograd is loaded with it', () => {
    const x = all.tensor.tensor([1, 2, 3]).requiresGrad_();
    x.square().sum().backward();
    expect(x.grad?.toArray()).toEqual([2, 4, 6]);
  });
});
