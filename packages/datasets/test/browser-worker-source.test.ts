import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { BROWSER_LOADER_SOURCE } from '../src/workers/worker-source.js';

/**
 * Runs the Web Worker source in a Node thread behind a stand-in for the worker global (`self` with
 * `onmessage` and `postMessage`), so the browser loader's protocol is checked without a browser: the first
 * message is the init, later ones are requests, and replies carry the items with their buffers.
 */
function startFakeWebWorker(): { post(message: unknown): void; next(): Promise<unknown>; stop(): Promise<number> } {
  const prelude = `
const { parentPort } = require('node:worker_threads');
const self = { onmessage: null, postMessage: (message, transfer) => parentPort.postMessage(message, transfer) };
parentPort.on('message', (data) => self.onmessage && self.onmessage({ data }));
`;
  const worker = new Worker(prelude + BROWSER_LOADER_SOURCE, { eval: true, execArgv: [] });
  const replies: unknown[] = [];
  const waiting: ((v: unknown) => void)[] = [];
  worker.on('message', (m) => (waiting.length > 0 ? waiting.shift()!(m) : replies.push(m)));
  return {
    post: (m) => worker.postMessage(m),
    next: () => (replies.length > 0 ? Promise.resolve(replies.shift()) : new Promise((r) => waiting.push(r))),
    stop: () => worker.terminate(),
  };
}

describe('the Web Worker loader source', () => {
  it('builds the dataset from the first message and answers requests with encoded items', async () => {
    const w = startFakeWebWorker();
    try {
      w.post({ module: new URL('./fixtures/worker-dataset.mjs', import.meta.url).href, exportName: 'makeDataset', args: [5, 1] });
      expect(await w.next()).toEqual({ ready: true });
      w.post({ id: 0, indices: [3, 1] });
      const reply = (await w.next()) as { id: number; items: [{ __tensor: boolean; data: Float32Array; shape: number[]; dtype: string }, number][] };
      expect(reply.id).toBe(0);
      expect(reply.items.map(([x, label]) => [x.shape, x.dtype, label])).toEqual([[[2, 3], 'float32', 0], [[2, 3], 'float32', 1]]);
      expect(reply.items[0][0].data[1]).toBeCloseTo(Math.sin(3 * 7 + 1), 6);
    } finally {
      await w.stop();
    }
  });

  it('reports a factory that is missing', async () => {
    const w = startFakeWebWorker();
    try {
      w.post({ module: new URL('./fixtures/worker-dataset.mjs', import.meta.url).href, exportName: 'absent', args: [] });
      expect(((await w.next()) as { fatal: string }).fatal).toMatch(/has no function export "absent"/);
    } finally {
      await w.stop();
    }
  });
});
