// Stands in for Node's built-ins in the browser test page: @backprop/io imports them only for file
// paths, which the page never uses. Reaching one is a bug, and says so.
function unavailable(): never {
  throw new Error('This Node.js built-in is not available in the browser');
}
export const readFile = unavailable;
export const writeFile = unavailable;
export const open = unavailable;
export const rename = unavailable;
export const unlink = unavailable;
export const mkdir = unavailable;
export const stat = unavailable;
export const join = unavailable;
export const dirname = unavailable;
export const basename = unavailable;
export default {};
