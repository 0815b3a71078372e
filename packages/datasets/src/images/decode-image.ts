import { Tensor, ValueError } from '@backprop/tensor';
import { DataFormatError } from '../errors.js';

/** Channels of a decoded image: 1 (grey), 3 (RGB, default) or 4 (RGBA). */
export type ImageChannels = 1 | 3 | 4;

/** A decoder from file bytes to RGBA pixels, row-major, 4 bytes a pixel. */
export type RgbaDecoder = (bytes: Uint8Array) => { width: number; height: number; data: Uint8Array };

/** Decoders by format, loaded once on first use so that the package loads without them in browsers. */
export interface ImageDecoders {
  png: RgbaDecoder;
  jpeg: RgbaDecoder;
}

let decoders: Promise<ImageDecoders> | null = null;

// pngjs's main entry needs Node's zlib and stream: Node imports it by a name bundlers do not follow, and
// browsers get the self-contained build that pngjs ships as browser.js.
const PNGJS_NODE = 'pngjs';
const isNode = (): boolean => typeof process !== 'undefined' && Boolean(process.versions?.node);

/** Loads pngjs and jpeg-js (pinned dependencies) the first time an image is decoded. */
export function loadDecoders(): Promise<ImageDecoders> {
  const png = isNode() ? import(/* @vite-ignore */ PNGJS_NODE) : import('pngjs/browser.js');
  decoders ??= Promise.all([png, import('jpeg-js')]).then(([pngModule, jpegModule]) => {
    // Both are CommonJS: their exports arrive as the default export or as named ones, depending on the loader.
    const { PNG } = ((pngModule as unknown as { default?: unknown }).default ?? pngModule) as typeof import('pngjs');
    const jpeg = ((jpegModule as unknown as { default?: unknown }).default ?? jpegModule) as typeof import('jpeg-js');
    return {
      png: (bytes) => {
        // pngjs reads with Buffer methods; a Buffer view shares the bytes (browser bundles of pngjs bring Buffer).
        const BufferCtor = (globalThis as { Buffer?: { from(b: ArrayBufferLike, offset: number, length: number): unknown } }).Buffer;
        const input = BufferCtor ? BufferCtor.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes;
        const { width, height, data } = PNG.sync.read(input as never);
        return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
      },
      jpeg: (bytes) => {
        const { width, height, data } = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
        return { width, height, data };
      },
    };
  });
  return decoders;
}

/** 'png' or 'jpeg' from the magic number, or null. */
export function imageFormat(bytes: Uint8Array): 'png' | 'jpeg' | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/** RGBA pixels as a float32 [C, H, W] tensor in [0, 1]; grey is ITU-R 601 luma, as PIL's `convert('L')`. */
export function rgbaToTensor(width: number, height: number, rgba: Uint8Array, channels: ImageChannels): Tensor {
  const plane = width * height;
  const out = new Float32Array(channels * plane);
  for (let p = 0; p < plane; p++) {
    const o = 4 * p;
    if (channels === 1) {
      out[p] = (rgba[o] * 299 + rgba[o + 1] * 587 + rgba[o + 2] * 114) / 1000 / 255;
    } else {
      for (let c = 0; c < channels; c++) out[c * plane + p] = rgba[o + c] / 255;
    }
  }
  return new Tensor(out, [channels, height, width], 'float32');
}

export function checkChannels(op: string, channels: number): asserts channels is ImageChannels {
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new ValueError(op, `channels must be 1, 3 or 4, got ${channels}`);
}

/** Decodes with loaded decoders; `name` says which file in errors. */
export function decodeWith(op: string, d: ImageDecoders, bytes: Uint8Array, channels: ImageChannels, name: string): Tensor {
  const format = imageFormat(bytes);
  if (!format) throw new DataFormatError(op, `${name} is neither PNG nor JPEG (by its first bytes)`);
  let decoded: ReturnType<RgbaDecoder>;
  try {
    decoded = d[format](bytes);
  } catch (e) {
    throw new DataFormatError(op, `${name}: cannot decode the ${format.toUpperCase()} data: ${(e as Error).message}`);
  }
  return rgbaToTensor(decoded.width, decoded.height, decoded.data, channels);
}

/**
 * Decodes PNG or JPEG bytes (recognised by content) into a float32 [C, H, W] tensor in [0, 1], as
 * torchvision's `ToTensor`: `channels` 3 drops alpha, 1 converts to grey, 4 keeps RGBA.
 *
 * @example
 * const image = await decodeImage(await readFile('cat.png'), { channels: 3 }); // [3, H, W]
 */
export async function decodeImage(bytes: Uint8Array, options: { channels?: ImageChannels } = {}): Promise<Tensor> {
  const channels = options.channels ?? 3;
  checkChannels('decodeImage', channels);
  return decodeWith('decodeImage', await loadDecoders(), bytes, channels, 'the image');
}
