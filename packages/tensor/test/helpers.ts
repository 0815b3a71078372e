export * from '../src/index.js';

// gelu(x) = x/2 (1 + erf(x/√2)), reference values from Python's math.erf in float64.
export const erfTestValues = {
  x: [-3, -1, -0.5, 0, 0.5, 1, 2, 3, 5],
  gelu: [
    -0.00404969409489031, -0.15865525393145707, -0.15426876936299344, 0, 0.34573123063700656, 0.8413447460685429,
    1.9544997361036416, 2.99595030590511, 4.999998566742141,
  ],
};
