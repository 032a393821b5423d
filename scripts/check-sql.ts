/**
 * Fails when SQL text is built from values instead of binding them: ClickHouse takes values
 * as `{name:Type}` query parameters, drizzle's `sql` tagged template binds its `${}` itself.
 * Syntactic (no type checker), so it reads the whole repository in a few seconds.
 *
 * Checked calls: `<x>.query|command|exec({ query })` and `<x>.insert|insertTsv({ table })`
 * (@clickhouse/client and the telemetry store), `<x>.query|exec|execute(text)` (pg, PGlite,
 * drizzle; not a RegExp's exec), `sql.raw(text)` anywhere, and the wrappers: `queryRows`, and
 * any function of the same file that passes a parameter on whole as the SQL of a checked call.
 * `sql.identifier(name)` passes: drizzle quotes and escapes it.
 *
 * Their SQL must be a string literal, a drizzle `sql` tagged template, or a template literal,
 * `+` concatenation, `[…].join()` or `a ? b : c` of safe fragments. A safe fragment is one of
 * those, a number, a name in `allowedFragments` (or a call of one), a `const` whose initializer
 * is safe (followed through this file and the files it imports by relative path), a member of a
 * safe object (`lookup[key]` of a const object whose every value is safe: whatever the key, the
 * text is one of them) or a `for … of` variable over a safe array. A query argument that is a
 * parameter is left to the callers of its function; a local variable is checked by its
 * initializer. Anything else needs `// sql-safe: <reason>` on the line before the call or the
 * argument, so that every exception is written down where it is made.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Names whose value (or, for a function, whose result) may be SQL text: each is built only
 * from code constants, so the checker need not see how. Used only where the name is not a
 * parameter or local variable.
 */
const allowedFragments: Record<string, string> = {
  asInt64: 'telemetry queue-sums.ts: `toInt64(name) AS name` over queueMeasures, the rollup definitions’ constant names',
  botSumsSql: 'telemetry live.ts: `sum(c) AS c` over the keys of botSumsShape, a constant zod shape',
  drillFilters: 'telemetry reports.ts: constant conditions (drillCondition by metric, agentFilter); every value is bound in its values',
  endedSql: 'telemetry quality.ts: a constant SELECT; its extra condition is a literal at each call',
  rawQueueSumsSql: 'telemetry queue-sums.ts: `expr AS name` over queueMeasures, the rollup definitions’ constant SQL',
  rollupQueueSumsSql: 'telemetry queue-sums.ts: `kind(name) AS name` over queueMeasures, the rollup definitions’ constant names',
  windowsSql: 'telemetry reports.ts: the two-window condition on a column whose name is a literal at each call',
};

/** Where SQL is built. Tests too: a test that splices values into SQL is the pattern copied next. */
const roots = ['packages', 'workflows', 'apps/web', 'bench', 'scripts', 'tests'];
const skippedDirs = new Set(['node_modules', '.next', 'dist', '.turbo']);

const ALLOW = /^\s*\/\/\s*sql-safe:\s*\S/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skippedDirs.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

const parsed = new Map<string, ts.SourceFile | undefined>();

function parse(fileName: string, text: string): ts.SourceFile {
  const kind = fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  parsed.set(path.resolve(fileName), source);
  return source;
}

function load(fileName: string): ts.SourceFile | undefined {
  const full = path.resolve(fileName);
  if (!parsed.has(full)) parsed.set(full, existsSync(full) ? parse(full, readFileSync(full, 'utf8')) : undefined);
  return parsed.get(full);
}

const unwrap = (node: ts.Expression): ts.Expression =>
  ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node)
    ? unwrap(node.expression)
    : node;

const isSqlTag = (tag: ts.Expression) => (ts.isIdentifier(tag) && tag.text === 'sql') || (ts.isPropertyAccessExpression(tag) && tag.name.text === 'sql');

const isSqlRaw = (call: ts.CallExpression) => {
  const callee = unwrap(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'raw' && isSqlTag(callee.expression);
};

/** What a name stands for where it is used. */
type Binding =
  | { kind: 'value'; value: ts.Expression; local: boolean }
  | { kind: 'each'; of: ts.Expression }
  | { kind: 'parameter'; type: ts.TypeNode | undefined }
  | { kind: 'unknown'; local: boolean };

const binds = (name: ts.BindingName, text: string): boolean =>
  ts.isIdentifier(name) ? name.text === text : name.elements.some((e) => !ts.isOmittedExpression(e) && binds(e.name, text));

function fromDeclarations(list: ts.VariableDeclarationList, text: string, local: boolean): Binding | undefined {
  const found = list.declarations.find((d) => binds(d.name, text));
  if (!found) return undefined;
  const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
  if (!ts.isIdentifier(found.name) || !isConst) return { kind: 'unknown', local };
  if (ts.isForOfStatement(list.parent)) return { kind: 'each', of: list.parent.expression };
  return found.initializer ? { kind: 'value', value: found.initializer, local } : { kind: 'unknown', local };
}

/** An import of `text` by relative path: that module's top-level declaration of it. */
function imported(source: ts.SourceFile, text: string): Binding | undefined {
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const bindings = statement.importClause?.namedBindings;
    const specifier = bindings && ts.isNamedImports(bindings) ? bindings.elements.find((e) => e.name.text === text) : undefined;
    if (!specifier) continue;
    const from = statement.moduleSpecifier.text;
    const target = from.startsWith('.') ? load(path.resolve(path.dirname(source.fileName), from)) : undefined;
    const name = (specifier.propertyName ?? specifier.name).text;
    return (target && topLevel(target, name)) ?? { kind: 'unknown', local: false };
  }
  return undefined;
}

function topLevel(source: ts.SourceFile, text: string): Binding | undefined {
  for (const statement of source.statements) {
    const found = ts.isVariableStatement(statement) ? fromDeclarations(statement.declarationList, text, false) : undefined;
    if (found) return found;
  }
  return imported(source, text);
}

/** The binding `name` refers to, looking outward through the scopes around it; undefined for a global. */
function bindingOf(name: ts.Identifier): Binding | undefined {
  for (let scope: ts.Node = name.parent; !ts.isSourceFile(scope); scope = scope.parent) {
    const parameter = ts.isFunctionLike(scope) ? scope.parameters.find((p) => binds(p.name, name.text)) : undefined;
    if (parameter) return { kind: 'parameter', type: parameter.type };
    if ((ts.isForOfStatement(scope) || ts.isForInStatement(scope) || ts.isForStatement(scope)) && scope.initializer) {
      const found = ts.isVariableDeclarationList(scope.initializer) ? fromDeclarations(scope.initializer, name.text, true) : undefined;
      if (found) return ts.isForInStatement(scope) ? { kind: 'unknown', local: true } : found;
    }
    if (ts.isBlock(scope) || ts.isModuleBlock(scope) || ts.isCaseClause(scope)) {
      for (const statement of scope.statements) {
        const found = ts.isVariableStatement(statement) ? fromDeclarations(statement.declarationList, name.text, true) : undefined;
        if (found) return found;
      }
    }
  }
  return topLevel(name.getSourceFile(), name.text);
}

const isAllowed = (name: ts.Identifier, binding: Binding | undefined) =>
  Object.hasOwn(allowedFragments, name.text) && (binding === undefined || (binding.kind !== 'parameter' && binding.kind !== 'each' && !binding.local));

const keyOf = (name: ts.PropertyName) => (ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined);

/** A node's text on one line, cut short: for messages. */
const shown = (node: ts.Node) => {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
};

const arithmetic = new Set([ts.SyntaxKind.MinusToken, ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.SlashToken, ts.SyntaxKind.PercentToken]);

/** Why `node`, used as (part of) SQL text, is not known to be safe; undefined when it is. */
function unsafeFragment(node: ts.Expression, seen: Set<ts.Node>): string | undefined {
  node = unwrap(node);
  if (seen.has(node)) return undefined;
  seen.add(node);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isNumericLiteral(node)) return undefined;
  if (ts.isTaggedTemplateExpression(node)) return isSqlTag(node.tag) ? undefined : `${shown(node.tag)}\`…\` is not drizzle's sql`;
  if (ts.isTemplateExpression(node)) {
    const substitutions = node.templateSpans.map((span) => span.expression);
    return unsafeParts(substitutions, seen);
  }
  if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.PlusToken || arithmetic.has(node.operatorToken.kind))) {
    return unsafeParts([node.left, node.right], seen);
  }
  if (ts.isConditionalExpression(node)) return unsafeParts([node.whenTrue, node.whenFalse], seen);
  if (ts.isArrayLiteralExpression(node)) {
    const elements = node.elements.map((e) => (ts.isSpreadElement(e) ? e.expression : e));
    return unsafeParts(elements, seen);
  }
  if (ts.isObjectLiteralExpression(node)) {
    const values = node.properties.map((p) => (ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : undefined));
    return values.every((v) => v !== undefined) ? unsafeParts(values, seen) : `${shown(node)} has members the check cannot read`;
  }
  if (ts.isCallExpression(node)) {
    const callee = unwrap(node.expression);
    if (ts.isIdentifier(callee) && isAllowed(callee, bindingOf(callee))) return undefined;
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'join' && ts.isArrayLiteralExpression(unwrap(callee.expression))) {
      return unsafeFragment(callee.expression, seen);
    }
    return `${shown(callee)}(…) is not in allowedFragments`;
  }
  if (ts.isPropertyAccessExpression(node)) {
    // A property of an object literal is checked alone: its neighbours may be bound values.
    const object = resolved(node.expression);
    const member = object && ts.isObjectLiteralExpression(object) ? object.properties.find((p) => p.name && keyOf(p.name) === node.name.text) : undefined;
    return unsafeFragment(member && ts.isPropertyAssignment(member) ? member.initializer : node.expression, seen);
  }
  if (ts.isElementAccessExpression(node)) return unsafeFragment(node.expression, seen);
  if (ts.isIdentifier(node)) {
    const binding = bindingOf(node);
    if (isAllowed(node, binding)) return undefined;
    const why = binding?.kind === 'value' ? unsafeFragment(binding.value, seen) : binding?.kind === 'each' ? unsafeFragment(binding.of, seen) : undefined;
    if (binding?.kind === 'value' || binding?.kind === 'each') return why && `${node.text} ← ${why}`;
    return `${node.text} is ${binding?.kind === 'parameter' ? 'a parameter' : 'not a constant'}`;
  }
  return `${shown(node)} is interpolated`;
}

function unsafeParts(parts: readonly ts.Expression[], seen: Set<ts.Node>): string | undefined {
  const whys = parts.map((part) => unsafeFragment(part, seen)).filter((why) => why !== undefined);
  return whys.length > 0 ? whys.join('; ') : undefined;
}

/** The expression an identifier stands for, through `const`s; the node itself otherwise. */
function resolved(node: ts.Expression): ts.Expression | undefined {
  node = unwrap(node);
  if (!ts.isIdentifier(node)) return node;
  const binding = bindingOf(node);
  return binding?.kind === 'value' ? resolved(binding.value) : undefined;
}

/** Why a whole query argument is unsafe. A parameter (or a member of one) is the business of the function's callers. */
function unsafeQuery(node: ts.Expression): string | undefined {
  node = unwrap(node);
  let root = node;
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = unwrap(root.expression);
  if (ts.isIdentifier(root)) {
    const binding = bindingOf(root);
    if (binding === undefined || binding.kind === 'parameter' || (binding.kind === 'unknown' && !binding.local)) return undefined;
  }
  return unsafeFragment(node, new Set());
}

const property = (object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined => {
  for (const p of object.properties) {
    if (ts.isPropertyAssignment(p) && keyOf(p.name) === name) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
  }
  return undefined;
};

/** `.exec` of a RegExp (a literal, `new RegExp`, or a parameter typed so) takes text, not SQL. */
const isRegExp = (node: ts.Expression): boolean => {
  const receiver = unwrap(node);
  const binding = ts.isIdentifier(receiver) ? bindingOf(receiver) : undefined;
  if (binding?.kind === 'parameter') return binding.type?.getText() === 'RegExp';
  const value = resolved(receiver);
  return value !== undefined && (ts.isRegularExpressionLiteral(value) || (ts.isNewExpression(value) && value.expression.getText() === 'RegExp'));
};

const isText = (node: ts.Expression) => {
  const value = resolved(node) ?? node;
  return !ts.isObjectLiteralExpression(value) && !ts.isArrowFunction(value) && !ts.isFunctionExpression(value);
};

/** Functions that pass one parameter on as SQL text, by name: which parameter. Others in a file are found by `wrapperOf`. */
const wrappers: ReadonlyMap<string, number> = new Map([['queryRows', 2]]);

/** The SQL-text arguments of a call, if it is one of the checked calls. */
function queryArguments(call: ts.CallExpression, local: ReadonlyMap<string, number>): ts.Expression[] {
  const callee = unwrap(call.expression);
  const [first] = call.arguments;
  if (ts.isIdentifier(callee)) {
    const index = local.get(callee.text) ?? wrappers.get(callee.text);
    const argument = index === undefined ? undefined : call.arguments[index];
    return argument ? [argument] : [];
  }
  if (!ts.isPropertyAccessExpression(callee) || !first) return [];
  const method = callee.name.text;
  if (isSqlRaw(call)) return [first];
  const object = unwrap(first);
  if (ts.isObjectLiteralExpression(object)) {
    const key = ['query', 'command', 'exec'].includes(method) ? 'query' : ['insert', 'insertTsv'].includes(method) ? 'table' : undefined;
    const value = key && property(object, key);
    return value ? [value] : [];
  }
  return ['query', 'exec', 'execute'].includes(method) && isText(first) && !isRegExp(callee.expression) ? [first] : [];
}

function hasAllowComment(source: ts.SourceFile, nodes: readonly ts.Node[]): boolean {
  const lines = source.text.split('\n');
  return nodes.some((n) => ALLOW.test(lines[source.getLineAndCharacterOfPosition(n.getStart(source)).line - 1] ?? ''));
}

/** A named function whose parameter `argument` is, passed on whole as SQL text: its name and the parameter's position. */
function wrapperOf(argument: ts.Expression): [string, number] | undefined {
  const name = unwrap(argument);
  if (!ts.isIdentifier(name)) return undefined;
  for (let scope: ts.Node = name.parent; !ts.isSourceFile(scope); scope = scope.parent) {
    if (!ts.isFunctionLike(scope)) continue;
    const index = scope.parameters.findIndex((p) => binds(p.name, name.text));
    if (index < 0) continue;
    const holder = ts.isFunctionDeclaration(scope) ? scope : ts.isVariableDeclaration(scope.parent) ? scope.parent : undefined;
    return holder?.name && ts.isIdentifier(holder.name) ? [holder.name.text, index] : undefined;
  }
  return undefined;
}

/** Unsafe SQL in one file, as `file:line: call: why` lines. Imports by relative path are read from `fileName`'s directory. */
export function checkSqlSource(fileName: string, text: string, shownAs = fileName): string[] {
  const source = parse(fileName, text);
  // The file's own wrappers are found first (a wrapper of a wrapper on a later pass), so that their callers are checked.
  const local = new Map<string, number>();
  let problems: string[] = [];
  for (let size = -1; size < local.size;) {
    size = local.size;
    problems = [];
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node)) {
        for (const argument of queryArguments(node, local)) {
          // sql.raw vouches for nothing: not even a parameter passes.
          const raw = isSqlRaw(node);
          const wrapper = raw ? undefined : wrapperOf(argument);
          if (wrapper) local.set(...wrapper);
          const why = raw ? unsafeFragment(argument, new Set()) : unsafeQuery(argument);
          if (why && !hasAllowComment(source, [node, argument])) {
            const line = source.getLineAndCharacterOfPosition(argument.getStart(source)).line + 1;
            problems.push(`${shownAs}:${line}: ${shown(node.expression)}: ${why}`);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return problems;
}

export function checkSql(root = path.resolve(import.meta.dirname, '..')): string[] {
  return roots.flatMap((dir) =>
    sourceFiles(path.join(root, dir)).flatMap((file) => checkSqlSource(file, readFileSync(file, 'utf8'), path.relative(root, file))),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = performance.now();
  const problems = checkSql();
  if (problems.length > 0) {
    console.error(
      `SQL built from values: bind them as query parameters, or say why not with // sql-safe: <reason>\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    process.exit(1);
  }
  console.log(`sql: ok (${Math.round(performance.now() - started)} ms)`);
}
