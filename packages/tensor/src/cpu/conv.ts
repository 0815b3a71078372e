export function registerConvKernels(): void {
  // Kernels are registered here.
}
