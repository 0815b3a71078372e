import { expect } from 'vitest';
import { decode, readFixture as readFixtureAt, type Encoded } from '@backprop/test-utils';
import { layerFromConfig, type LayerConfig, type Module } from '../src/index.js';

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
