import { sizeOf, type DeviceKernel } from '@backprop/tensor';
import { grid, wgslType, type WebGpuRuntime } from '../runtime.js';
import { fill } from './layout.js';
import { NAN_BITS } from './math.js';
import { bindings, bufferOf, ELEMENT_MAIN, metaBinding, output } from './util.js';

interface AxisWindows {
  start: Int32Array;
  end: Int32Array;
  count: Int32Array;
}

/**
 * Separable window averages over the last two axes (average and adaptive pooling, nearest upsampling):
 * forward, each output sums its window row by row and divides by the window's divisor, as the cpu kernel;
 * backward, each image element gathers grid/divisor from every window that covers it. The window tables
 * (start, end, divisor count per output row and column) travel in the meta buffer.
 */
export function windowAverageKernel(rt: WebGpuRuntime, backward: boolean): DeviceKernel {
  return ([t], raw) => {
    const { rows, cols, shape } = raw as unknown as { rows: AxisWindows; cols: AxisWindows; shape: number[] };
    wgslType(t.dtype);
    const [buffer, result] = output(rt, shape, t.dtype);
    const n = sizeOf(shape);
    if (n === 0) return result;
    const image = backward ? shape : t.shape;
    const [H, W] = image.slice(-2);
    const oH = rows.start.length;
    const oW = cols.start.length;
    const tables = [...rows.start, ...rows.end, ...rows.count, ...cols.start, ...cols.end, ...cols.count];
    // Table offsets in m: rows at 5 (start, end, count, each oH long), then cols (each oW long).
    const R = 5;
    const Cs = `${R}u + 3u * oH`;
    const body = backward
      ? `
  let c = i % W;
  let r = (i / W) % H;
  let plane = i / (W * H);
  var acc = 0.0;
  for (var a = 0u; a < oH; a++) {
    if (r < m[${R}u + a] || r >= m[${R}u + oH + a]) { continue; }
    for (var b = 0u; b < oW; b++) {
      if (c < m[${Cs} + b] || c >= m[${Cs} + oW + b]) { continue; }
      acc += src[(plane * oH + a) * oW + b] / f32(m[${R}u + 2u * oH + a] * m[${Cs} + 2u * oW + b]);
    }
  }
  o[i] = acc;`
      : `
  let b = i % oW;
  let a = (i / oW) % oH;
  let plane = i / (oW * oH);
  var s = 0.0;
  for (var r = m[${R}u + a]; r < m[${R}u + oH + a]; r++) {
    for (var c = m[${Cs} + b]; c < m[${Cs} + oW + b]; c++) { s += src[(plane * H + r) * W + c]; }
  }
  o[i] = s / f32(m[${R}u + 2u * oH + a] * m[${Cs} + 2u * oW + b]);`;
    const code = (): string => `${bindings([['src', 'f32'], ['o', 'f32']])}
${metaBinding(2)}
${ELEMENT_MAIN}
  let H = m[1]; let W = m[2]; let oH = m[3]; let oW = m[4];
  ${body}
}`;
    rt.dispatch(backward ? 'windowAverage2dBackward' : 'windowAverage2d', code, [bufferOf(t), buffer], [n, H, W, oH, oW, ...tables], grid(n));
    return result;
  };
}

/**
 * The argmax of every max-pooling window as a flat index into its plane: a strictly greater value or a
 * NaN takes over, so ties keep the first position and a window of −∞ points at its first element.
 */
export function maxPool2dIndicesKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([x], raw) => {
    const a = raw as unknown as { kernelSize: number[]; stride: number[]; padding: number[]; dilation: number[]; outSize: number[]; shape: number[] };
    wgslType(x.dtype);
    const [buffer, result] = output(rt, a.shape, 'int32');
    const n = sizeOf(a.shape);
    if (n === 0) return result;
    const [, , H, W] = x.shape;
    const [oH, oW] = a.outSize;
    const code = (): string => `${bindings([['x', 'f32'], ['o', 'i32']])}
${metaBinding(2)}
${NAN_BITS}
${ELEMENT_MAIN}
  let H = i32(m[1]); let W = i32(m[2]); let oH = m[3]; let oW = m[4];
  let kH = i32(m[5]); let kW = i32(m[6]); let sH = i32(m[7]); let sW = i32(m[8]);
  let pH = i32(m[9]); let pW = i32(m[10]); let dH = i32(m[11]); let dW = i32(m[12]);
  let ow = i32(i % oW);
  let oh = i32((i / oW) % oH);
  let base = (i / (oW * oH)) * u32(H * W);
  let h0 = oh * sH - pH;
  let w0 = ow * sW - pW;
  // The first in-image position of each dilated window axis (padding holds −∞, never a maximum).
  let hs = select(h0 + ((-h0 + dH - 1) / dH) * dH, h0, h0 >= 0);
  let ws = select(w0 + ((-w0 + dW - 1) / dW) * dW, w0, w0 >= 0);
  let he = min(h0 + (kH - 1) * dH + 1, H);
  let we = min(w0 + (kW - 1) * dW + 1, W);
  var best = hs * W + ws;
  var found = false;
  var mx = 0.0;
  for (var h = hs; h < he; h += dH) {
    for (var w = ws; w < we; w += dW) {
      let v = x[base + u32(h * W + w)];
      if (!found || isNanF(v) || (!isNanF(mx) && v > mx)) { mx = v; best = h * W + w; found = true; }
    }
  }
  o[i] = best;
}`;
    const meta = [n, H, W, oH, oW, ...a.kernelSize, ...a.stride, ...a.padding, ...a.dilation];
    rt.dispatch('maxPool2dIndices', code, [bufferOf(x), buffer], meta, grid(n));
    return result;
  };
}

/** The argmax of every adaptive max-pooling window (tables of window starts and ends per row and column). */
export function adaptiveMaxPool2dIndicesKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([x], raw) => {
    const { rows, cols, shape } = raw as unknown as { rows: AxisWindows; cols: AxisWindows; shape: number[] };
    wgslType(x.dtype);
    const [buffer, result] = output(rt, shape, 'int32');
    const n = sizeOf(shape);
    if (n === 0) return result;
    const [, , H, W] = x.shape;
    const oH = rows.start.length;
    const oW = cols.start.length;
    const code = (): string => `${bindings([['x', 'f32'], ['o', 'i32']])}
${metaBinding(2)}
${NAN_BITS}
${ELEMENT_MAIN}
  let H = m[1]; let W = m[2]; let oH = m[3]; let oW = m[4];
  let c0 = 5u + 2u * oH;
  let b = i % oW;
  let a = (i / oW) % oH;
  let base = (i / (oW * oH)) * H * W;
  var best = m[5u + a] * W + m[c0 + b];
  var found = false;
  var mx = 0.0;
  for (var h = m[5u + a]; h < m[5u + oH + a]; h++) {
    for (var w = m[c0 + b]; w < m[c0 + oW + b]; w++) {
      let v = x[base + h * W + w];
      if (!found || isNanF(v) || (!isNanF(mx) && v > mx)) { mx = v; best = h * W + w; found = true; }
    }
  }
  o[i] = i32(best);
}`;
    const meta = [n, H, W, oH, oW, ...rows.start, ...rows.end, ...cols.start, ...cols.end];
    rt.dispatch('adaptiveMaxPool2dIndices', code, [bufferOf(x), buffer], meta, grid(n));
    return result;
  };
}

/** out[p, j] = x[p, indices[p, j]] for every trailing plane p. */
export function gatherPlanesKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([x, indices]) => {
    wgslType(x.dtype);
    const [buffer, result] = output(rt, indices.shape, x.dtype);
    const n = sizeOf(indices.shape);
    if (n === 0) return result;
    const code = (): string => `${bindings([['x', 'u32'], ['idx', 'i32'], ['o', 'u32']])}
${metaBinding(3)}
${ELEMENT_MAIN}
  o[i] = x[(i / m[2]) * m[1] + u32(idx[i])];
}`;
    const meta = [n, sizeOf(x.shape.slice(-2)), sizeOf(indices.shape.slice(-2))];
    rt.dispatch('gatherPlanes', code, [bufferOf(x), bufferOf(indices), buffer], meta, grid(n));
    return result;
  };
}

/** Zeros of attrs.shape with src[p, j] added at [p, indices[p, j]] (atomically: windows may overlap). */
export function scatterAddPlanesKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([src, indices], attrs) => {
    const shape = attrs.shape as number[];
    wgslType(src.dtype);
    const [buffer, result] = output(rt, shape, src.dtype);
    fill(rt, buffer, sizeOf(shape), 0, src.dtype);
    const n = sizeOf(indices.shape);
    if (n === 0) return result;
    const code = (): string => `${bindings([['s', 'f32'], ['idx', 'i32']], false)}
@group(0) @binding(2) var<storage, read_write> o: array<atomic<u32>>;
${metaBinding(3)}
${ELEMENT_MAIN}
  let at = (i / m[2]) * m[1] + u32(idx[i]);
  var old = atomicLoad(&o[at]);
  loop {
    let r = atomicCompareExchangeWeak(&o[at], old, bitcast<u32>(bitcast<f32>(old) + s[i]));
    if (r.exchanged) { break; }
    old = r.old_value;
  }
}`;
    const meta = [n, sizeOf(shape.slice(-2)), sizeOf(indices.shape.slice(-2))];
    rt.dispatch('scatterAddPlanes', code, [bufferOf(src), bufferOf(indices), buffer], meta, grid(n));
    return result;
  };
}
