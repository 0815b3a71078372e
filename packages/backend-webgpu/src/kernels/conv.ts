import { sizeOf, type DeviceKernel } from '@backprop/tensor';
import { grid, wgslType, type WebGpuRuntime } from '../runtime.js';
import { bindings, bufferOf, ELEMENT_MAIN, metaBinding, output } from './util.js';

// Direct convolutions, one thread per output element: no im2col buffer, and each thread's sum runs over
// its own window. Geometry is PyTorch's (stride, padding, dilation, groups); the output size arrives in
// attrs, so transposed convolutions reproduce any input size.

interface Geometry {
  stride: readonly number[];
  padding: readonly number[];
  dilation: readonly number[];
  groups: number;
  outSize: readonly number[];
  shape: readonly number[];
}

/** WGSL declaring the meta words every convolution shader reads. */
const GEOMETRY = `
  let sH = i32(m[1]); let sW = i32(m[2]);
  let pH = i32(m[3]); let pW = i32(m[4]);
  let dH = i32(m[5]); let dW = i32(m[6]);
  let groups = m[7];`;

function geometryMeta(n: number, a: Geometry): number[] {
  return [n, a.stride[0], a.stride[1], a.padding[0], a.padding[1], a.dilation[0], a.dilation[1], a.groups];
}

/** y[n, oc, oy, ox] = b[oc] + Σ x[n, g·Cg + ic, oy·s − p + ky·d, …] · w[oc, ic, ky, kx]. */
export function conv2dKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([x, w, b], raw) => {
    const a = raw as unknown as Geometry;
    wgslType(x.dtype);
    const [buffer, result] = output(rt, a.shape, x.dtype);
    const n = sizeOf(a.shape);
    if (n === 0) return result;
    const [, C, H, W] = x.shape;
    const [Cout, Cg, kH, kW] = w.shape;
    const [oH, oW] = a.outSize;
    const bias = b !== undefined;
    const code = (): string => `${bindings(bias ? [['x', 'f32'], ['w', 'f32'], ['b', 'f32'], ['o', 'f32']] : [['x', 'f32'], ['w', 'f32'], ['o', 'f32']])}
${metaBinding(bias ? 4 : 3)}
${ELEMENT_MAIN}
  ${GEOMETRY}
  let C = m[8]; let H = i32(m[9]); let W = i32(m[10]);
  let Cout = m[11]; let Cg = m[12]; let kH = i32(m[13]); let kW = i32(m[14]);
  let oH = m[15]; let oW = m[16];
  let ox = i32(i % oW);
  let oy = i32((i / oW) % oH);
  let oc = (i / (oW * oH)) % Cout;
  let img = i / (oW * oH * Cout);
  let g = oc / (Cout / groups);
  var acc = ${bias ? 'b[oc]' : '0.0'};
  for (var ic = 0u; ic < Cg; ic++) {
    let plane = (img * C + g * Cg + ic) * u32(H * W);
    let wBase = (oc * Cg + ic) * u32(kH * kW);
    for (var ky = 0; ky < kH; ky++) {
      let y = oy * sH - pH + ky * dH;
      if (y < 0 || y >= H) { continue; }
      for (var kx = 0; kx < kW; kx++) {
        let xx = ox * sW - pW + kx * dW;
        if (xx < 0 || xx >= W) { continue; }
        acc += x[plane + u32(y * W + xx)] * w[wBase + u32(ky * kW + kx)];
      }
    }
  }
  o[i] = acc;
}`;
    const inputs = bias ? [x, w, b] : [x, w];
    rt.dispatch(`conv2d:${bias}`, code, [...inputs.map(bufferOf), buffer], [...geometryMeta(n, a), C, H, W, Cout, Cg, kH, kW, oH, oW], grid(n));
    return result;
  };
}

/**
 * The transposed convolution (a convolution's input gradient): each output position sums the input
 * positions whose window covers it, y[n, oc, oy, ox] = b[oc] + Σ x[n, ic, iy, ix] · w[ic, oc mod Coutg, ky, kx]
 * over oy = iy·s − p + ky·d.
 */
export function convTranspose2dKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([x, w, b], raw) => {
    const a = raw as unknown as Geometry;
    wgslType(x.dtype);
    const [buffer, result] = output(rt, a.shape, x.dtype);
    const n = sizeOf(a.shape);
    if (n === 0) return result;
    const [, Cin, H, W] = x.shape;
    const [, CoutG, kH, kW] = w.shape;
    const [oH, oW] = a.outSize;
    const bias = b !== undefined;
    const code = (): string => `${bindings(bias ? [['x', 'f32'], ['w', 'f32'], ['b', 'f32'], ['o', 'f32']] : [['x', 'f32'], ['w', 'f32'], ['o', 'f32']])}
${metaBinding(bias ? 4 : 3)}
${ELEMENT_MAIN}
  ${GEOMETRY}
  let Cin = m[8]; let H = i32(m[9]); let W = i32(m[10]);
  let CoutG = m[11]; let kH = i32(m[12]); let kW = i32(m[13]);
  let oH = m[14]; let oW = m[15];
  let Cout = CoutG * groups;
  let CinG = Cin / groups;
  let ox = i32(i % oW);
  let oy = i32((i / oW) % oH);
  let oc = (i / (oW * oH)) % Cout;
  let img = i / (oW * oH * Cout);
  let g = oc / CoutG;
  let ocl = oc % CoutG;
  var acc = ${bias ? 'b[oc]' : '0.0'};
  for (var icl = 0u; icl < CinG; icl++) {
    let ic = g * CinG + icl;
    let plane = (img * Cin + ic) * u32(H * W);
    let wBase = (ic * CoutG + ocl) * u32(kH * kW);
    for (var ky = 0; ky < kH; ky++) {
      let ty = oy + pH - ky * dH;
      if (ty < 0 || ty % sH != 0) { continue; }
      let iy = ty / sH;
      if (iy >= H) { continue; }
      for (var kx = 0; kx < kW; kx++) {
        let tx = ox + pW - kx * dW;
        if (tx < 0 || tx % sW != 0) { continue; }
        let ix = tx / sW;
        if (ix >= W) { continue; }
        acc += x[plane + u32(iy * W + ix)] * w[wBase + u32(ky * kW + kx)];
      }
    }
  }
  o[i] = acc;
}`;
    const inputs = bias ? [x, w, b] : [x, w];
    rt.dispatch(`convTranspose2d:${bias}`, code, [...inputs.map(bufferOf), buffer], [...geometryMeta(n, a), Cin, H, W, CoutG, kH, kW, oH, oW], grid(n));
    return result;
  };
}

/** The weight gradient: gw[oc, ic, ky, kx] = Σ over images and output positions of x(window) · gradOut. */
export function conv2dBackwardWeightKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([x, gOut], raw) => {
    const a = raw as unknown as Geometry;
    wgslType(x.dtype);
    const [buffer, result] = output(rt, a.shape, x.dtype);
    const n = sizeOf(a.shape);
    if (n === 0) return result;
    const [N, C, H, W] = x.shape;
    const [, Cout, gH, gW] = gOut.shape;
    const [kH, kW] = a.outSize;
    const code = (): string => `${bindings([['x', 'f32'], ['gy', 'f32'], ['o', 'f32']])}
${metaBinding(3)}
${ELEMENT_MAIN}
  ${GEOMETRY}
  let N = m[8]; let C = m[9]; let H = i32(m[10]); let W = i32(m[11]);
  let Cout = m[12]; let gH = i32(m[13]); let gW = i32(m[14]);
  let kH = m[15]; let kW = m[16];
  let Cg = C / groups;
  let kx = i32(i % kW);
  let ky = i32((i / kW) % kH);
  let ic = (i / (kW * kH)) % Cg;
  let oc = i / (kW * kH * Cg);
  let g = oc / (Cout / groups);
  var acc = 0.0;
  for (var img = 0u; img < N; img++) {
    let plane = (img * C + g * Cg + ic) * u32(H * W);
    let gBase = (img * Cout + oc) * u32(gH * gW);
    for (var oy = 0; oy < gH; oy++) {
      let y = oy * sH - pH + ky * dH;
      if (y < 0 || y >= H) { continue; }
      for (var ox = 0; ox < gW; ox++) {
        let xx = ox * sW - pW + kx * dW;
        if (xx < 0 || xx >= W) { continue; }
        acc += x[plane + u32(y * W + xx)] * gy[gBase + u32(oy * gW + ox)];
      }
    }
  }
  o[i] = acc;
}`;
    rt.dispatch('conv2dBackwardWeight', code, [bufferOf(x), bufferOf(gOut), buffer], [...geometryMeta(n, a), N, C, H, W, Cout, gH, gW, kH, kW], grid(n));
    return result;
  };
}
