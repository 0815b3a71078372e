import { WORKER_LOOP } from './protocol.js';

/**
 * The GEMM worker for Node, as source for `new Worker(source, { eval: true })`: shipping it as a string
 * keeps the package one bundle with no worker file to locate next to dist. The init arrives as workerData.
 */
export const NODE_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, control, counter, scratch } = workerData;
const ready = () => parentPort.postMessage('ready');
${WORKER_LOOP}
`;

/**
 * The GEMM worker for browsers, run as a classic Web Worker from a Blob URL: the init arrives as the
 * first message (structured clone shares the memory and passes the compiled module).
 */
export const BROWSER_WORKER_SOURCE = `
self.onmessage = (event) => {
  self.onmessage = null;
  const { module, memory, control, counter, scratch } = event.data;
  const ready = () => self.postMessage('ready');
${WORKER_LOOP}
};
`;
