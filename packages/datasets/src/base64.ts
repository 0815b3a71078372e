const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

/**
 * Decodes base64, skipping whitespace, so that shipped data can be wrapped in lines. Written out rather than
 * using `atob` or `Buffer` so that it behaves the same in every runtime.
 */
export function decodeBase64(text: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let nBits = 0;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 61) break; // '=' padding ends the data
    const v = c < 128 ? VALUE[c] : -1;
    if (v < 0) continue; // newlines and spaces
    bits = ((bits << 6) | v) & 0xffffff;
    nBits += 6;
    if (nBits >= 8) {
      nBits -= 8;
      out[n++] = (bits >> nBits) & 0xff;
    }
  }
  return out.slice(0, n);
}
