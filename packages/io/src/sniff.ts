/** A format a file looks like, and what to do with such a file. */
export interface LooksLike {
  what: string;
  hint?: string;
}

/**
 * Names the format a file that is not safetensors looks like, from its first bytes, so that a user who
 * passed a PyTorch `.pt` file or a saved HTML page learns what they have instead of "header length
 * 5776434297 exceeds the limit". Returns undefined when nothing matches.
 */
export function sniffFormat(bytes: Uint8Array): LooksLike | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x50, 0x4b, 0x03, 0x04)) {
    // A zip: PyTorch's torch.save writes `<name>/data.pkl` as its first entries.
    const nameLength = bytes[26] | (bytes[27] << 8);
    const name = latin1(bytes.subarray(30, 30 + Math.min(nameLength, 256)));
    return /(^|\/)(data\.pkl|version|byteorder|data\/)/.test(name) || name.includes('archive/')
      ? { what: 'a PyTorch zip checkpoint (.pt/.pth)', hint: 'read it with loadPytorchStateDict or readPytorchFile' }
      : { what: 'a zip archive (PyTorch .pt/.pth and Keras .keras files are zip archives)' };
  }
  if (bytes[0] === 0x80 && bytes[1] >= 2 && bytes[1] <= 5) return { what: 'a Python pickle (a legacy torch.save .pt/.pth/.bin file)', hint: 'save it again with torch.save (PyTorch ≥ 1.6) or safetensors.torch.save_file' };
  if (starts(0x1f, 0x8b)) return { what: 'a gzip-compressed file', hint: 'decompress it first' };
  if (starts(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a)) return { what: 'an HDF5 file (a Keras .h5 model)' };
  if (starts(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59)) return { what: 'a NumPy .npy array' };
  if (starts(0x47, 0x47, 0x55, 0x46)) return { what: 'a GGUF model (llama.cpp)' };
  if (latin1(bytes.subarray(4, 8)) === 'TFL3') return { what: 'a TensorFlow Lite model (.tflite)' };
  // ONNX's ModelProto starts with field 1 (ir_version, a small varint) and then another field tag.
  if (bytes[0] === 0x08 && bytes[1] >= 1 && bytes[1] <= 15 && [0x12, 0x1a, 0x22, 0x2a, 0x32, 0x3a, 0x42].includes(bytes[2])) {
    return { what: 'an ONNX model (.onnx)' };
  }
  return sniffText(bytes.subarray(0, 4096));
}

function sniffText(head: Uint8Array): LooksLike | undefined {
  const text = new TextDecoder('utf-8').decode(head);
  const printable = [...text].filter((c) => c >= ' ' || c === '\n' || c === '\r' || c === '\t').length;
  if (text.length === 0 || printable < text.length * 0.95) return undefined;
  const start = text.replace(/^\uFEFF/, '').trimStart();
  const lower = start.slice(0, 64).toLowerCase();
  if (lower.startsWith('version https://git-lfs')) return { what: 'a Git LFS pointer file', hint: 'fetch the real file with `git lfs pull`' };
  if (lower.startsWith('<!doctype html') || lower.startsWith('<html') || /<(head|body)[\s>]/.test(lower)) {
    return { what: 'an HTML page (a download that saved a web page instead of the file?)' };
  }
  if (start.startsWith('<')) return { what: 'an XML or HTML document' };
  if (start.startsWith('{') || start.startsWith('[')) return { what: 'JSON text (a model config? a model file starts with an 8-byte header length)' };
  const lines = start.split(/\r?\n/).filter((l) => l.length > 0).slice(0, 5);
  if (lines.length >= 2 && lines.every((l) => /[,;\t]/.test(l))) return { what: 'CSV text (a dataset, not a model)' };
  return { what: 'a text file' };
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}
