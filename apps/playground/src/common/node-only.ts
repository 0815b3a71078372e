// Stands in for Node's built-in modules in the browser bundle. @backprop/datasets loads files with
// `await import('node:fs/promises')` inside its file loaders, which the pages never call; aliasing the
// built-ins here keeps Vite from warning about them. @backprop/backend-wasm imports node:worker_threads only
// for threads in Node; in a browser its threads are Web Workers and it never reaches it. Reaching one is a bug,
// and says so.
function unavailable(): never {
  throw new Error('This Node.js built-in is not available in the browser: load data from memory instead.');
}

export const readFile = unavailable;
export const writeFile = unavailable;
export const mkdir = unavailable;
export const rename = unavailable;
export const join = unavailable;
export const dirname = unavailable;
export const basename = unavailable;
export const gunzipSync = unavailable;
export const Worker = unavailable;
export default {};
