// The playground's diverging colour scale: orange for −1, a light grey for 0, blue for +1, as in
// TensorFlow Playground, so the pictures read the same way.

type RGB = readonly [number, number, number];

export const NEGATIVE: RGB = [245, 147, 34];
export const NEUTRAL: RGB = [232, 234, 235];
export const POSITIVE: RGB = [8, 119, 189];

/** The colour of v, clamped to [−1, 1]. */
export function colorOf(v: number): RGB {
  const t = Number.isFinite(v) ? Math.max(-1, Math.min(1, v)) : 0;
  const [from, to, s] = t < 0 ? [NEUTRAL, NEGATIVE, -t] : [NEUTRAL, POSITIVE, t];
  return [from[0] + (to[0] - from[0]) * s, from[1] + (to[1] - from[1]) * s, from[2] + (to[2] - from[2]) * s];
}

export function css([r, g, b]: RGB, alpha = 1): string {
  return `rgba(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)}, ${alpha})`;
}
