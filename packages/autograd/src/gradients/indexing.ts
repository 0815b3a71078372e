export function registerIndexingGradients(): void {
  // Gradient rules are registered here.
}
