import { expect } from 'vitest';
import { decode, expectClose, readFixture as readFixtureAt, type Encoded } from '@backprop/test-utils';
import { layerFromConfig, type AnyModule, type LayerConfig, type Module } from '../src/index.js';

export { decode, expectClose, type Encoded } from '@backprop/test-utils';

/** Reads `fixtures/<name>` beside these tests. */
export function readFixture<T>(name: string): { cases: T[] } {
  return readFixtureAt<T>(import.meta.url, name);
}

/** A fixture's state dict (torch's `state_dict()`), decoded. */
export function decodeState(state: Record<string, Encoded>) {
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [k, decode(v)]));
}

/** The layer a golden case describes: rebuilt from its config (which must round-trip) with torch's weights loaded. */
export function layerFromCase<M = Module>(c: { config: LayerConfig; state: Record<string, Encoded> }): M {
  const model = layerFromConfig(c.config);
  expect(model.toConfig()).toEqual(c.config);
  expect(model.loadStateDict(decodeState(c.state))).toEqual({ missingKeys: [], unexpectedKeys: [] });
  return model as M;
}

/** A golden case of one forward and backward pass: torch's output and gradients for the case's input. */
export interface PassCase {
  name: string;
  config: LayerConfig;
  state: Record<string, Encoded>;
  input: Encoded;
  gradOutput: Encoded;
  output: Encoded;
  inputGrad: Encoded;
  paramGrads: Record<string, Encoded>;
}

/** Runs the case's input through `model` and checks the output, the input's gradient and every parameter's gradient against torch's. */
export function expectPassMatches(model: AnyModule, c: PassCase): void {
  const x = decode(c.input).requiresGrad_();
  const y = model.call(x) as ReturnType<typeof decode>;
  expectClose(y, decode(c.output));
  y.backward(decode(c.gradOutput));
  expectClose(x.grad, decode(c.inputGrad));
  const params = new Map(model.namedParameters());
  expect([...params.keys()].sort()).toEqual(Object.keys(c.paramGrads).sort());
  for (const [name, g] of Object.entries(c.paramGrads)) expectClose(params.get(name)!.grad, decode(g));
}
