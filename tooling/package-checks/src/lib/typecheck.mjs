// Type-checks a consumer project in-process with the TypeScript compiler API (what `tsc --noEmit` does),
// and lists the value exports the package's declarations promise, to compare with what Node loads.

import { dirname } from 'node:path';
import ts from 'typescript';

// Files shared by every consumer program (TypeScript's libraries, the one @types/node install) are parsed
// once; each program still binds and checks them itself.
const sharedCache = new Map();
const sharedRoots = [dirname(ts.getDefaultLibFilePath({}))];

/** Lets consumer programs reuse the parsed files under `dir` (the shared @types folder). */
export function shareFilesUnder(dir) {
  sharedRoots.push(dir);
}

function cachingHost(options) {
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!sharedRoots.some((root) => fileName.startsWith(root))) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    const key = `${fileName}|${JSON.stringify(languageVersion)}`;
    if (!sharedCache.has(key)) sharedCache.set(key, getSourceFile(fileName, languageVersion, onError, shouldCreate));
    return sharedCache.get(key);
  };
  return host;
}

const base = {
  target: ts.ScriptTarget.ES2022,
  strict: true,
  noEmit: true,
  // Our declarations are what is under test, so they are checked too.
  skipLibCheck: false,
};

/**
 * The two consumers: a Node project (node16, ES2022 library plus @types/node, no DOM) and a bundled app
 * (bundler, TypeScript's default libraries for ES2022, which include the DOM, and no @types).
 */
export function resolutionOptions(resolution, typeRoot) {
  if (resolution === 'node16') {
    return { ...base, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, lib: ['lib.es2022.d.ts'], types: ['node'], typeRoots: [typeRoot] };
  }
  return { ...base, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, types: [] };
}

function formatDiagnostic(d) {
  const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
  if (!d.file) return `TS${d.code}: ${text}`;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
  return `${d.file.fileName.split('/node_modules/').pop().split('/').slice(-3).join('/')}(${line + 1},${character + 1}): TS${d.code}: ${text}`;
}

/** Names of the runtime (value) exports the declarations of `specifier` promise, as seen from `file`. */
function declaredValueExports(program, file, specifier) {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  for (const statement of source.statements) {
    const spec = ts.isImportDeclaration(statement)
      ? statement.moduleSpecifier
      : ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)
        ? statement.moduleReference.expression
        : undefined;
    if (!spec || !ts.isStringLiteral(spec) || spec.text !== specifier) continue;
    const moduleSymbol = checker.getSymbolAtLocation(spec);
    if (!moduleSymbol) return null;
    return checker
      .getExportsOfModule(moduleSymbol)
      .filter((symbol) => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        // A const enum is erased at compile time, so it has no runtime counterpart to look for.
        return (target.flags & ts.SymbolFlags.Value) !== 0 && (target.flags & ts.SymbolFlags.ConstEnum) === 0;
      })
      .map((symbol) => symbol.getName())
      .filter((name) => name !== 'default')
      .sort();
  }
  return null;
}

/**
 * Type-checks `files` under the named resolution (node16 finds @types/node in `typeRoot`). Returns the diagnostics as one-line strings and, for each
 * file, the value exports of `specifier` its declarations promise (null when it did not resolve).
 */
export function typecheck(files, resolution, specifier, typeRoot) {
  const options = resolutionOptions(resolution, typeRoot);
  const program = ts.createProgram({ rootNames: files, options, host: cachingHost(options) });
  // What `tsc` with skipLibCheck false reports, limited to the consumer files and our packages' declarations:
  // checking all of @types/node and lib.dom.d.ts too would take seconds per program and is not our concern.
  const ours = program.getSourceFiles().filter((f) => files.includes(f.fileName) || /[\\/]node_modules[\\/]@backprop[\\/]/.test(f.fileName));
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...ours.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
  ].map(formatDiagnostic);
  const exports = Object.fromEntries(files.map((f) => [f, declaredValueExports(program, f, specifier)]));
  return { diagnostics, exports };
}

