import { Tensor, TensorError, ValueError, type DType, type TypedArray } from '@backprop/tensor';
import { BROWSER_LOADER_SOURCE, NODE_LOADER_SOURCE } from './worker-source.js';

/**
 * How a loading worker rebuilds the dataset: a JavaScript module (a path, or a `file:`/`http(s):` URL the
 * worker can import), the name of a function it exports, and arguments for that function (structured-
 * cloneable). The function returns the dataset (or a promise of it), as the main thread would build it.
 */
export interface WorkerDatasetSpec {
  module: string | URL;
  /** The exported factory (default 'default'). */
  exportName?: string;
  args?: unknown[];
}

interface WorkerInit {
  module: string;
  exportName: string;
  args: unknown[];
}

type Reply = { ready: true } | { fatal: string } | { id: number; items: unknown[] } | { id: number; error: string };

/** One worker: `request` sends indices and resolves with the decoded items. */
interface LoaderWorker {
  ready: Promise<void>;
  request(id: number, indices: readonly number[]): Promise<unknown[]>;
  terminate(): Promise<void>;
}

const isNode = (): boolean => typeof process !== 'undefined' && Boolean(process.versions?.node);

async function moduleUrl(module: string | URL): Promise<string> {
  if (module instanceof URL) return module.href;
  if (/^(file|https?|data|blob):/i.test(module)) return module;
  if (!isNode()) return new URL(module, globalThis.location?.href).href;
  const [{ pathToFileURL }, { resolve }] = await Promise.all([import('node:url'), import('node:path')]);
  return pathToFileURL(resolve(module)).href;
}

function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === 'object') {
    const o = v as { __tensor?: boolean; data?: TypedArray; shape?: number[]; dtype?: DType };
    if (o.__tensor === true) return new Tensor(o.data as TypedArray, o.shape as number[], o.dtype as DType);
    return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, decode(e)]));
  }
  return v;
}

interface Port {
  post(message: unknown): void;
  onMessage(handler: (reply: Reply) => void): void;
  onError(handler: (error: Error) => void): void;
  terminate(): Promise<void>;
}

async function nodePort(init: WorkerInit): Promise<Port> {
  const { Worker } = await import('node:worker_threads');
  // No Node options from the parent: vitest's or a loader's flags would change how the source evaluates.
  const w = new Worker(NODE_LOADER_SOURCE, { eval: true, workerData: init, execArgv: [] });
  return {
    post: (m) => w.postMessage(m),
    onMessage: (h) => w.on('message', h),
    onError: (h) => w.on('error', h),
    terminate: async () => void (await w.terminate()),
  };
}

let browserScript: string | null = null;

function browserPort(init: WorkerInit): Port {
  browserScript ??= URL.createObjectURL(new Blob([BROWSER_LOADER_SOURCE], { type: 'text/javascript' }));
  const w = new Worker(browserScript, { name: 'datasets loader' });
  w.postMessage(init);
  return {
    post: (m) => w.postMessage(m),
    onMessage: (h) => w.addEventListener('message', (e) => h(e.data as Reply)),
    onError: (h) =>
      w.addEventListener('error', (e) => {
        e.preventDefault();
        h(new Error(e.message));
      }),
    terminate: async () => w.terminate(),
  };
}

async function startWorker(init: WorkerInit): Promise<LoaderWorker> {
  const port = isNode() ? await nodePort(init) : browserPort(init);
  const pending = new Map<number, { resolve: (items: unknown[]) => void; reject: (e: Error) => void }>();
  let failure: Error | null = null;
  let readyResolve!: () => void;
  let readyReject!: (e: Error) => void;
  const ready = new Promise<void>((res, rej) => ((readyResolve = res), (readyReject = rej)));
  const fail = (e: Error): void => {
    failure = e;
    readyReject(e);
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  port.onMessage((reply) => {
    if ('ready' in reply) return readyResolve();
    if ('fatal' in reply) return fail(new TensorError('DataLoader', `a loading worker failed to build its dataset: ${reply.fatal}`));
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if ('error' in reply) p.reject(new TensorError('DataLoader', `a loading worker failed on batch ${reply.id + 1}: ${reply.error}`));
    else p.resolve(reply.items.map(decode));
  });
  port.onError((e) => fail(new TensorError('DataLoader', `a loading worker stopped: ${e.message}`)));
  return {
    ready,
    request: (id, indices) =>
      new Promise<unknown[]>((resolve, reject) => {
        if (failure) return reject(failure);
        pending.set(id, { resolve, reject });
        port.post({ id, indices });
      }),
    terminate: port.terminate,
  };
}

/**
 * Loads batches of items in `numWorkers` workers (worker threads in Node, Web Workers in browsers) and
 * yields them in the order of `batches`, whichever worker finishes first: batch k goes to worker
 * k mod numWorkers and at most `prefetch` batches are in flight. Since the index lists are drawn in the
 * calling thread, the batches equal those of loading in-process with the same seed.
 */
export async function* loadInWorkers(
  spec: WorkerDatasetSpec,
  numWorkers: number,
  prefetch: number,
  batches: Iterable<readonly number[]>,
): AsyncGenerator<unknown[]> {
  const init: WorkerInit = { module: await moduleUrl(spec.module), exportName: spec.exportName ?? 'default', args: spec.args ?? [] };
  const workers = await Promise.all(Array.from({ length: numWorkers }, () => startWorker(init)));
  try {
    await Promise.all(workers.map((w) => w.ready));
    const inFlight: Promise<unknown[]>[] = [];
    const it = batches[Symbol.iterator]();
    let next = 0;
    const fill = (): void => {
      while (inFlight.length < prefetch) {
        const r = it.next();
        if (r.done) return;
        const id = next++;
        const request = workers[id % numWorkers].request(id, r.value);
        // Rejections are awaited in order below; this keeps an early one from being reported as unhandled.
        request.catch(() => undefined);
        inFlight.push(request);
      }
    };
    fill();
    while (inFlight.length > 0) {
      const items = await inFlight.shift()!;
      fill();
      yield items;
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

export function checkWorkerOptions(numWorkers: number, prefetchFactor: number, spec: WorkerDatasetSpec | undefined): void {
  if (!Number.isInteger(numWorkers) || numWorkers < 0) throw new ValueError('DataLoader', `numWorkers must be a non-negative integer, got ${numWorkers}`);
  if (!Number.isInteger(prefetchFactor) || prefetchFactor < 1) throw new ValueError('DataLoader', `prefetchFactor must be a positive integer, got ${prefetchFactor}`);
  if (numWorkers > 0 && spec === undefined) {
    throw new ValueError(
      'DataLoader',
      'numWorkers > 0 needs worker: { module, exportName, args }, a module the workers import to build the same dataset (functions cannot be sent to a thread)',
    );
  }
  if (numWorkers === 0 && spec !== undefined) throw new ValueError('DataLoader', 'worker is used only with numWorkers > 0');
  if (spec !== undefined && !(typeof spec.module === 'string' || spec.module instanceof URL)) {
    throw new ValueError('DataLoader', `worker.module must be a path or URL, got ${String(spec.module)}`);
  }
}
