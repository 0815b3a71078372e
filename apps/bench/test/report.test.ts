import { describe, expect, it } from 'vitest';
import { median } from '../src/measure.js';
import { ratio, toMarkdown } from '../src/report.js';
import type { Report } from '../src/types.js';

const report: Report = {
  date: '2025-01-01',
  quick: true,
  machine: { cpu: 'Test CPU', cores: 2, node: 'v20.0.0', platform: 'linux-x64' },
  nodeBaselineRssMB: 40,
  libraries: [
    {
      library: 'backprop',
      results: {
        'mlp-train': { value: 3000, reps: 5, msPerStep: 21.3 },
        'mlp-infer-1': { value: 0.2, reps: 5, msPerStep: 0.2 },
        'lenet-train': { unavailable: 'pending: conv ops not yet available' },
      },
      peakRssMB: 100,
      notes: {},
    },
    {
      library: 'tfjs-cpu',
      results: {
        'mlp-train': { value: 1000, reps: 5, msPerStep: 64 },
        'mlp-infer-1': { value: 1, reps: 5, msPerStep: 1 },
        'lenet-train': { value: 20, reps: 5, msPerStep: 1600 },
      },
      peakRssMB: 200,
      notes: { 'mlp-train': 'a note' },
    },
  ],
  elementwise: [{ op: 'add (a + b)', elements: 1024, backpropGBs: 1, loopGBs: 2 }],
};

describe('report', () => {
  it('ratios read as backprop speed-ups, latency inverted', () => {
    expect(ratio('samples/s', { value: 30, reps: 1, msPerStep: 1 }, { value: 10, reps: 1, msPerStep: 1 })).toBe(3);
    expect(ratio('ms', { value: 0.5, reps: 1, msPerStep: 0.5 }, { value: 1, reps: 1, msPerStep: 1 })).toBe(2);
    expect(ratio('GFLOPS', { unavailable: 'x' }, { value: 1, reps: 1, msPerStep: 1 })).toBeNull();
  });

  it('renders figures, ratios, unavailable reasons, notes and the elementwise table', () => {
    const md = toMarkdown(report);
    expect(md).toContain('| MLP 784-128-64-10 training, batch 64 | samples/s | 3,000 | 1,000 |');
    expect(md).toContain('| MLP 784-128-64-10 training, batch 64 | 3.00× |');
    expect(md).toContain('| MLP inference latency, batch 1 | 5.00× |');
    expect(md).toContain('pending: conv ops not yet available');
    expect(md).toContain('- tfjs-backend-cpu, mlp-train: a note');
    expect(md).toContain('| add (a + b) | 1.00 | 2.00 | 0.50× |');
    expect(md).toContain('Medians after warm-up.');
    expect(toMarkdown({ ...report, rounds: 3 })).toContain('Medians after warm-up, over 3 rounds in which the libraries took turns.');
  });

  it('gives backprop on wasm its own ratio table against the same peers', () => {
    const wasm = {
      library: 'backprop-wasm',
      results: { 'mlp-train': { value: 5000, reps: 5, msPerStep: 12.8 }, 'lenet-train': { value: 100, reps: 5, msPerStep: 320 } },
      peakRssMB: 120,
      notes: {},
    };
    const md = toMarkdown({ ...report, libraries: [report.libraries[0], wasm, report.libraries[1]] });
    expect(md).toContain('| workload | unit | backprop | backprop (wasm) | tfjs-backend-cpu |');
    expect(md).toContain('backprop (wasm) ÷ peer');
    expect(md).toContain('| MLP 784-128-64-10 training, batch 64 | 5.00× |');
    expect(md).toContain('| LeNet-5 training, batch 32 | 5.00× |');
    // backprop is never a peer of backprop on wasm: only tfjs-backend-cpu has a ratio column.
    expect(md).not.toContain('vs backprop');
  });

  it('median of odd and even samples', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
