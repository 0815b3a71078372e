import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, changeKind, datasetsOf, decodeConfig, defaultConfig, encodeConfig, type PlaygroundConfig } from '../src/playground/state.js';

const custom: PlaygroundConfig = {
  dataset: 'spiral',
  noise: 25,
  trainRatio: 70,
  batchSize: 16,
  features: ['x1', 'x2', 'sinx1', 'sinx2'],
  layers: [8, 6, 3],
  activation: 'relu',
  learningRate: 0.003,
  optimizer: 'adam',
  regularization: 'l2',
  regularizationRate: 0.001,
  seed: 42,
  showTestData: true,
  discretize: true,
  backend: 'wasm',
};

describe('URL state', () => {
  it('round-trips the defaults and a custom configuration', () => {
    expect(decodeConfig(encodeConfig(defaultConfig()))).toEqual(DEFAULT_CONFIG);
    expect(decodeConfig(encodeConfig(custom))).toEqual(custom);
    expect(decodeConfig(`#${encodeConfig(custom)}`)).toEqual(custom);
  });

  it('writes a readable hash with plain commas', () => {
    const hash = encodeConfig(custom);
    expect(hash).toContain('dataset=spiral');
    expect(hash).toContain('layers=8,6,3');
    expect(hash).toContain('features=x1,x2,sinx1,sinx2');
    expect(hash).not.toContain('%2C');
  });

  it('gives the defaults for an empty hash', () => {
    expect(decodeConfig('')).toEqual(DEFAULT_CONFIG);
    expect(decodeConfig('#')).toEqual(DEFAULT_CONFIG);
  });

  it('replaces each invalid field by its default and keeps the rest', () => {
    const c = decodeConfig('dataset=moon&noise=80&ratio=abc&batch=0&lr=0.02&activation=relu&optimizer=rmsprop&reg=l3&regRate=-1&seed=1.5&layers=4,99&features=x3&backend=cuda');
    expect(c).toEqual({ ...DEFAULT_CONFIG, activation: 'relu' });
  });

  it('reads each backend from the hash', () => {
    for (const backend of ['cpu', 'wasm', 'webgpu'] as const) expect(decodeConfig(`backend=${backend}`).backend).toBe(backend);
  });

  it('reads the discretize flag, off unless it is 1', () => {
    expect(decodeConfig('discretize=1').discretize).toBe(true);
    expect(decodeConfig('discretize=yes').discretize).toBe(false);
    expect(encodeConfig({ ...defaultConfig(), discretize: true })).toContain('discretize=1');
  });

  it('lists the data sets of each problem type', () => {
    expect(datasetsOf('classification')).toEqual(['circle', 'xor', 'gaussian', 'spiral']);
    expect(datasetsOf('regression')).toEqual(['plane', 'multigaussian']);
  });

  it('accepts an empty network and orders the features canonically', () => {
    const c = decodeConfig('layers=&features=sinx2,x1,bogus');
    expect(c.layers).toEqual([]);
    expect(c.features).toEqual(['x1', 'sinx2']);
  });

  it('refuses more layers or neurons than the page can show', () => {
    expect(decodeConfig('layers=1,1,1,1,1,1,1').layers).toEqual(DEFAULT_CONFIG.layers);
    expect(decodeConfig('layers=9').layers).toEqual(DEFAULT_CONFIG.layers);
    expect(decodeConfig('layers=8,8,8,8,8,8').layers).toEqual([8, 8, 8, 8, 8, 8]);
  });

  it('reads only the learning and regularization rates the menus offer', () => {
    expect(decodeConfig('lr=10').learningRate).toBe(10);
    expect(decodeConfig('lr=1e-5').learningRate).toBe(0.00001);
    expect(decodeConfig('lr=0.5').learningRate).toBe(DEFAULT_CONFIG.learningRate);
    expect(decodeConfig('regRate=0.3').regularizationRate).toBe(0.3);
  });
});

describe('changeKind', () => {
  const base = defaultConfig();
  it('tells what a change rebuilds', () => {
    expect(changeKind(base, { ...base, noise: 10 })).toBe('data');
    expect(changeKind(base, { ...base, seed: 2 })).toBe('data');
    expect(changeKind(base, { ...base, layers: [4, 3] })).toBe('network');
    expect(changeKind(base, { ...base, features: ['x1'] })).toBe('network');
    expect(changeKind(base, { ...base, activation: 'relu' })).toBe('network');
    expect(changeKind(base, { ...base, optimizer: 'adam' })).toBe('optimizer');
    expect(changeKind(base, { ...base, learningRate: 0.1, batchSize: 3, regularization: 'l1' })).toBe('live');
    expect(changeKind(base, { ...base, backend: 'wasm' })).toBe('live');
    expect(changeKind(base, { ...base, backend: 'webgpu' })).toBe('live');
    expect(changeKind(base, { ...base, discretize: true })).toBe('live');
  });
});
