import type { OnnxExportRule } from '../registry.js';

/** `Sequential`: each child's graph in order, each reading the previous one's output. */
export const exportSequential: OnnxExportRule = (module, ctx) => {
  let value = ctx.input;
  for (const [name] of module.namedChildren()) value = ctx.exportChild(name, value);
  return value;
};

/** `Residual`: the wrapped module's graph, then Add(f(x), x). */
export const exportResidual: OnnxExportRule = (_module, ctx) => {
  const fx = ctx.exportChild('module', ctx.input);
  const [sum] = ctx.node('Add', [fx.name, ctx.input.name]);
  return { ...fx, name: sum };
};
