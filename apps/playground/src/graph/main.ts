// The graph explorer page: parse the typed expression, draw its graph, and step through the passes.
import { autogradGradients } from './autograd-check.js';
import { finiteDifferences } from './evaluate.js';
import { fmt } from './names.js';
import { ParseError, parseExpression, type Graph } from './parse.js';
import { PRESETS } from './presets.js';
import { Stepper } from './stepper.js';
import { drawGraph } from './view.js';

function $<T extends Element>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`graph explorer: the page has no #${id}`);
  return node as unknown as T;
}

const ui = {
  preset: $<HTMLSelectElement>('preset'),
  expression: $<HTMLInputElement>('expression'),
  error: $<HTMLParagraphElement>('expression-error'),
  variables: $<HTMLFieldSetElement>('variables'),
  step: $<HTMLButtonElement>('step'),
  finish: $<HTMLButtonElement>('finish'),
  reset: $<HTMLButtonElement>('reset'),
  phase: $<HTMLParagraphElement>('phase'),
  graph: $<SVGSVGElement>('graph'),
  explain: $<HTMLParagraphElement>('explain'),
  rows: $<HTMLTableSectionElement>('grad-rows'),
  value: $<HTMLParagraphElement>('value'),
};

let graph: Graph | null = null;
let values: Record<string, number> = {};
let stepper: Stepper | null = null;

for (const preset of PRESETS) ui.preset.add(new Option(preset.label, preset.id));

function variableInputs(): void {
  const legend = ui.variables.querySelector('legend')!;
  ui.variables.replaceChildren(legend);
  for (const name of graph!.variables) {
    const id = `var-${name}`;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = name;
    const input = document.createElement('input');
    input.type = 'number';
    input.step = 'any';
    input.id = id;
    input.value = String(values[name]);
    input.addEventListener('input', () => {
      const v = Number(input.value);
      if (input.value.trim() === '' || !Number.isFinite(v)) return;
      values[name] = v;
      restart();
    });
    ui.variables.append(label, input);
  }
}

function load(expression: string, start: Readonly<Record<string, number>>): void {
  try {
    graph = parseExpression(expression);
    ui.error.textContent = '';
    ui.expression.removeAttribute('aria-invalid');
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    ui.error.textContent = err.message;
    ui.expression.setAttribute('aria-invalid', 'true');
    return;
  }
  values = Object.fromEntries(graph.variables.map((v) => [v, start[v] ?? values[v] ?? 1]));
  variableInputs();
  restart();
}

/** A fresh stepper for the current graph and values; the checks are computed once, up front. */
function restart(): void {
  stepper = new Stepper(graph!, values);
  const autograd = autogradGradients(graph!, values);
  const numeric = finiteDifferences(graph!, values);
  ui.rows.replaceChildren();
  for (const name of graph!.variables) {
    const row = ui.rows.insertRow();
    row.dataset.variable = name;
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = name;
    row.append(th);
    const stepped = row.insertCell();
    stepped.className = 'stepped';
    const auto = row.insertCell();
    auto.className = 'autograd';
    auto.dataset.value = String(autograd.grads[name]);
    auto.textContent = fmt(autograd.grads[name]);
    const fd = row.insertCell();
    fd.className = 'finite';
    fd.dataset.value = String(numeric[name]);
    fd.textContent = fmt(numeric[name]);
  }
  ui.value.textContent = `f = ${fmt(autograd.value)} at these values (autograd, float64).`;
  render();
}

function render(): void {
  const s = stepper!;
  drawGraph(ui.graph, s);
  const phase = s.phase;
  ui.phase.dataset.phase = phase;
  const forwardTotal = s.graph.nodes.filter((n) => n.inputs.length > 0).length;
  ui.phase.textContent =
    phase === 'forward'
      ? `Forward pass: ${s.forwardSteps} of ${forwardTotal} operations computed.`
      : phase === 'backward'
        ? `Backward pass: ${s.backwardSteps} of ${s.trace.steps.length} nodes visited.`
        : 'Done: every gradient is complete.';
  ui.step.textContent = phase === 'forward' ? 'Forward step' : 'Backward step';
  ui.step.disabled = phase === 'done';
  ui.finish.disabled = phase === 'done';
  ui.explain.textContent = s.describe();
  for (const row of ui.rows.rows) {
    const id = s.graph.nodes.find((n) => n.op === 'input' && n.label === row.dataset.variable)!.id;
    const grad = s.gradOf(id);
    const cell = row.cells[1];
    const complete = s.gradComplete(id);
    cell.dataset.value = grad === null ? '' : String(grad);
    cell.dataset.complete = String(complete);
    cell.textContent = grad === null ? '–' : `${fmt(grad)}${complete ? '' : ' (so far)'}`;
  }
}

ui.preset.addEventListener('change', () => {
  const preset = PRESETS.find((p) => p.id === ui.preset.value)!;
  ui.expression.value = preset.expression;
  load(preset.expression, preset.values);
});
ui.expression.addEventListener('change', () => load(ui.expression.value, {}));
ui.step.addEventListener('click', () => {
  stepper!.step();
  render();
});
ui.finish.addEventListener('click', () => {
  stepper!.finish();
  render();
});
ui.reset.addEventListener('click', restart);

ui.expression.value = PRESETS[0].expression;
load(PRESETS[0].expression, PRESETS[0].values);
document.body.dataset.ready = 'true';
