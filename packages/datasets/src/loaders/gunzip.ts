/** Whether bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Gunzips gzip bytes (recognised by their magic number, whatever the file is called) and passes other bytes
 * through. Uses `node:zlib` in Node, loaded only then, and the standard `DecompressionStream` elsewhere.
 */
export async function maybeGunzip(bytes: Uint8Array): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  if (typeof process !== 'undefined' && process.versions?.node) {
    const { gunzipSync } = await import('node:zlib');
    return new Uint8Array(gunzipSync(bytes));
  }
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
