export function registerIndexingKernels(): void {
  // Kernels are registered here.
}
