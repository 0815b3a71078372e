/**
 * The loop a loading worker runs, as source text shared by the Node and the browser worker (a string keeps
 * the package one bundle with no worker file to locate). It imports the dataset module, calls its factory,
 * then answers `{ id, indices }` with the items at those indices. Tensors (anything with `dataSync`, `shape`
 * and `dtype`) travel as copies of their values whose buffers are transferred, not cloned.
 */
const LOOP = `
const encode = (v, transfer) => {
  if (v && typeof v === 'object' && typeof v.dataSync === 'function' && Array.isArray(v.shape)) {
    const data = v.dataSync().slice();
    transfer.push(data.buffer);
    return { __tensor: true, data, shape: v.shape.slice(), dtype: v.dtype };
  }
  if (Array.isArray(v)) return v.map((e) => encode(e, transfer));
  if (v && typeof v === 'object') {
    const out = {};
    for (const k of Object.keys(v)) out[k] = encode(v[k], transfer);
    return out;
  }
  return v;
};
(async () => {
  const mod = await import(init.module);
  const make = mod[init.exportName];
  if (typeof make !== 'function') throw new Error('the worker module ' + init.module + ' has no function export "' + init.exportName + '"');
  const dataset = await make(...init.args);
  onRequest(async ({ id, indices }) => {
    try {
      const items = [];
      for (const i of indices) items.push(await dataset.get(i));
      const transfer = [];
      const encoded = items.map((item) => encode(item, transfer));
      post({ id, items: encoded }, transfer);
    } catch (e) {
      post({ id, error: String((e && e.stack) || e) }, []);
    }
  });
  post({ ready: true }, []);
})().catch((e) => post({ fatal: String((e && e.stack) || e) }, []));
`;

/** The worker for Node's `new Worker(source, { eval: true, workerData })`. */
export const NODE_LOADER_SOURCE = `
const { parentPort, workerData: init } = require('node:worker_threads');
const post = (message, transfer) => parentPort.postMessage(message, transfer);
const onRequest = (handler) => parentPort.on('message', handler);
${LOOP}
`;

/** The worker for browsers (a Blob URL): its init is the first message. */
export const BROWSER_LOADER_SOURCE = `
self.onmessage = (first) => {
  const init = first.data;
  const post = (message, transfer) => self.postMessage(message, transfer);
  const onRequest = (handler) => { self.onmessage = (event) => handler(event.data); };
  self.onmessage = null;
${LOOP}
};
`;
