import { ModelFileError } from '../errors.js';

/** One stored member of a zip archive: its name and its bytes (a view into the archive, not a copy). */
export interface ZipEntry {
  readonly name: string;
  readonly data: Uint8Array;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const ZIP64_EOCD_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;

/**
 * The members of a zip archive, read from its central directory. Only uncompressed ("stored") members
 * are supported: `torch.save` writes nothing else, and reading stays a bounded slice of the input. Every
 * offset and size is checked against the archive's length before it is used.
 */
export function readZip(bytes: Uint8Array, source?: string): Map<string, ZipEntry> {
  const fail = (why: string): never => {
    throw new ModelFileError(`not a readable PyTorch zip checkpoint: ${why}`, source);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record is in the last 64 KiB + 22 bytes (its comment is at most 65,535).
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) fail('no end-of-central-directory record');
  let count = view.getUint16(eocd + 10, true);
  let dirSize = view.getUint32(eocd + 12, true);
  let dirOffset = view.getUint32(eocd + 16, true);
  if (eocd >= 20 && view.getUint32(eocd - 20, true) === ZIP64_EOCD_LOCATOR) {
    const at = Number(view.getBigUint64(eocd - 12, true));
    if (at + 56 > bytes.length || view.getUint32(at, true) !== ZIP64_EOCD) fail('a broken zip64 end-of-central-directory record');
    count = Number(view.getBigUint64(at + 32, true));
    dirSize = Number(view.getBigUint64(at + 40, true));
    dirOffset = Number(view.getBigUint64(at + 48, true));
  }
  if (dirOffset + dirSize > bytes.length) fail(`the central directory (${dirSize} bytes at ${dirOffset}) lies past the end of the ${bytes.length}-byte file`);
  const entries = new Map<string, ZipEntry>();
  let at = dirOffset;
  for (let k = 0; k < count; k++) {
    if (at + 46 > dirOffset + dirSize || view.getUint32(at, true) !== CENTRAL) fail(`central directory entry ${k} is malformed`);
    const method = view.getUint16(at + 10, true);
    let compressed = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let local = view.getUint32(at + 42, true);
    if (at + 46 + nameLength + extraLength + commentLength > dirOffset + dirSize) fail(`central directory entry ${k} runs past the directory`);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    // Zip64 sizes and offsets live in an extra field when the 32-bit ones are saturated.
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = view.getUint16(extra, true);
      const length = view.getUint16(extra + 2, true);
      if (id === 0x0001) {
        let field = extra + 4;
        const next = (): number => {
          if (field + 8 > extra + 4 + length) fail(`member '${name}' has a truncated zip64 field`);
          const v = Number(view.getBigUint64(field, true));
          field += 8;
          return v;
        };
        if (size === 0xffffffff) size = next();
        if (compressed === 0xffffffff) compressed = next();
        if (local === 0xffffffff) local = next();
      }
      extra += 4 + length;
    }
    if (method !== 0) fail(`member '${name}' is compressed (method ${method}); torch.save stores members uncompressed`);
    if (compressed !== size) fail(`member '${name}' declares ${compressed} stored bytes but ${size} uncompressed`);
    if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL) fail(`member '${name}' has no local header at ${local}`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + size > bytes.length) fail(`member '${name}' (${size} bytes at ${start}) lies past the end of the ${bytes.length}-byte file`);
    entries.set(name, { name, data: bytes.subarray(start, start + size) });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
