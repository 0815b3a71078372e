import { registerKernel } from '../backend.js';
import { allocData, type DType } from '../dtype.js';

export function registerCastKernels(): void {
  registerKernel('cpu', 'cast', ([x], attrs) => {
    const dtype = attrs.dtype as DType;
    const out = allocData(dtype, x.data.length);
    const d = x.data;
    if (dtype === 'bool') for (let i = 0; i < d.length; i++) out[i] = d[i] ? 1 : 0;
    // Int32Array truncates toward zero on assignment, as a float-to-int cast does in PyTorch.
    else out.set(d as never);
    return { data: out, shape: x.shape, dtype };
  });
}
