export function registerConvGradients(): void {
  // Gradient rules are registered here.
}
