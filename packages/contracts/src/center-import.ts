import Papa from 'papaparse';
import { z } from 'zod';
import { AgentConfig, CenterConfig, ShiftConfig } from './center.ts';
import { serviceLevelThresholdsS } from './ingest.ts';

/**
 * Importing a center's configuration from the CSV files a WFM team already keeps (or from
 * CenterConfig JSON), checking it as a whole, and showing what an import would change under
 * seedTenant's rules. docs/center-import.md describes the files for operators.
 */

/** The lists of a CenterConfig, one CSV file each, in the order seedTenant writes them. */
export const centerLists = ['skills', 'teams', 'agents', 'queues', 'bots', 'intents'] as const;
export type CenterList = (typeof centerLists)[number];
type Item<K extends CenterList> = CenterConfig[K][number];

/**
 * One thing wrong with an import. CSV: `file` is e.g. `agents.csv`, `row` the row as a
 * spreadsheet numbers it (the header is row 1) and `column` the header. JSON: `column` is a
 * path such as `agents[3].team_id`. The timezone argument of a CSV import has file `timezone`.
 */
export type ImportProblem = { file: string; row?: number; column?: string; message: string };

/** `lists` are the lists the import supplied: the others are neither written nor diffed. */
type CenterImport = { config: CenterConfig; lists: CenterList[] };

type Path = (string | number)[];
type Issue = { path: Path; message: string };
type Cell = { value: unknown } | { error: string };

type Column<T> = {
  name: string;
  /** Where the cell's value goes in the item. */
  path: readonly string[];
  /** What an empty or absent cell reads as; a column without one is required. */
  default?: string;
  parse: (cell: string) => Cell;
  format: (item: T) => string;
  /** What the diff compares, where the order within the cell carries no meaning. */
  compare?: (item: T) => string;
};

type ListSpec<T> = { noun: string; columns: Column<T>[]; describe: (item: T) => string };

const text = (cell: string): Cell => ({ value: cell });
const lowercase = (cell: string): Cell => ({ value: cell.toLowerCase() });
const int = (cell: string): Cell => (/^[+-]?\d+$/.test(cell) ? { value: Number(cell) } : { error: `"${cell}" is not a whole number` });
const splitList = (cell: string) =>
  cell
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function col<T>(name: string, path: string, parse: (cell: string) => Cell, format: (item: T) => string): Column<T> {
  return { name, path: path.split('.'), parse, format };
}

const idColumn = <T extends { id: string }>(name: string) => col<T>(name, 'id', text, (item) => item.id);
const textColumn = <T extends Record<K, string>, K extends string>(name: K) => col<T>(name, name, text, (item) => item[name]);
const intColumn = <T>(name: string, path: string, get: (item: T) => number) => col<T>(name, path, int, (item) => String(get(item)));

/**
 * Cell items (`billing:4`, `lunch@240+30`) are checked one by one against the schema's element,
 * so a problem names the item rather than its position in the cell.
 */
function parseItems(
  cell: string,
  pattern: RegExp,
  example: string,
  build: (m: RegExpExecArray) => unknown,
  schema: typeof AgentConfig.shape.skills.element | typeof ShiftConfig.shape.breaks.element,
): Cell {
  const value: unknown[] = [];
  const errors: string[] = [];
  for (const token of splitList(cell)) {
    const match = pattern.exec(token);
    if (!match) {
      errors.push(`"${token}" is not like ${example}`);
      continue;
    }
    const parsed = schema.safeParse(build(match));
    if (parsed.success) value.push(parsed.data);
    else errors.push(...parsed.error.issues.map((issue) => `"${token}": ${[...issue.path, issue.message].join(': ')}`));
  }
  return errors.length > 0 ? { error: errors.join('; ') } : { value };
}

type AgentSkill = AgentConfig['skills'][number];
const formatSkills = (skills: readonly AgentSkill[]) => skills.map((s) => `${s.skill_id}:${s.proficiency}`).join(';');

const parseSkills = (cell: string) =>
  parseItems(cell, /^(.+?)\s*:\s*(\d+)$/, 'billing:4', (m) => ({ skill_id: m[1], proficiency: Number(m[2]) }), AgentConfig.shape.skills.element);

const parseBreaks = (cell: string) =>
  parseItems(
    cell,
    /^([a-z]+)\s*@\s*(\d+)\s*\+\s*(\d+)$/i,
    'lunch@240+30',
    (m) => ({ kind: m[1]?.toLowerCase(), offset_minutes: Number(m[2]), minutes: Number(m[3]) }),
    ShiftConfig.shape.breaks.element,
  );

function parseTime(cell: string): Cell {
  const match = /^(\d{1,2}):(\d{2})$/.exec(cell);
  const [hours, minutes] = [Number(match?.[1]), Number(match?.[2])];
  return match && hours < 24 && minutes < 60 ? { value: hours * 60 + minutes } : { error: `"${cell}" is not a time of day (HH:MM, 00:00 to 23:59)` };
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const formatTime = (minute: number) => `${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}`;

const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const dayAbbr = (day: number) => dayNames[day]?.slice(0, 3) ?? String(day);

function dayOf(token: string): number | undefined {
  const lower = token.trim().toLowerCase();
  const day = dayNames.findIndex((name) => lower === name.toLowerCase() || lower === name.slice(0, 3).toLowerCase());
  return day >= 0 ? day : undefined;
}

/** `Mon-Fri`, `Mon;Tue;Sat`, `Fri-Mon` (a range may wrap past Saturday); sorted, 0 = Sunday. */
function parseWeekdays(cell: string): Cell {
  const days = new Set<number>();
  const errors: string[] = [];
  for (const token of splitList(cell)) {
    const parts = token.split('-');
    const ends = parts.map(dayOf).filter((day) => day !== undefined);
    const [from, to = from] = ends;
    if (parts.length > 2 || ends.length < parts.length || from === undefined || to === undefined) {
      errors.push(`"${token}" is not a day (Sun … Sat) or a range of days (Mon-Fri)`);
      continue;
    }
    for (let day = from; ; day = (day + 1) % 7) {
      days.add(day);
      if (day === to) break;
    }
  }
  return errors.length > 0 ? { error: errors.join('; ') } : { value: [...days].sort((a, b) => a - b) };
}

/** The shortest form: runs of days as ranges, one run continuing from Saturday into Sunday. */
function formatWeekdays(days: readonly number[]): string {
  const set = new Set(days);
  const runs: [number, number][] = [];
  for (let day = 0; day < 7; day++) {
    if (!set.has(day)) continue;
    const run = runs.at(-1);
    if (run && run[1] === day - 1) run[1] = day;
    else runs.push([day, day]);
  }
  const [first] = runs;
  const last = runs.at(-1);
  if (first && last && runs.length > 1 && first[0] === 0 && last[1] === 6) {
    runs.shift();
    last[1] = first[1];
  }
  return runs.map(([from, to]) => (from === to ? dayAbbr(from) : `${dayAbbr(from)}-${dayAbbr(to)}`)).join(';');
}

function parseTarget(cell: string): Cell {
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(cell);
  if (percent) return { value: Number(percent[1]) / 100 };
  if (!/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(cell)) return { error: `"${cell}" is not a share (0.8) or a percentage (80%)` };
  // 80 almost always means 80%: say so instead of "too big".
  return Number(cell) > 1 ? { error: `"${cell}" is more than 1: write a share (0.8) or a percentage (80%)` } : { value: Number(cell) };
}

const quote = (s: string) => JSON.stringify(s);

const specs: { [K in CenterList]: ListSpec<Item<K>> } = {
  skills: { noun: 'skill', columns: [idColumn('skill_id'), textColumn('name')], describe: (s) => quote(s.name) },
  teams: { noun: 'team', columns: [idColumn('team_id'), textColumn('name')], describe: (t) => quote(t.name) },
  agents: {
    noun: 'agent',
    columns: [
      idColumn('agent_id'),
      textColumn('display_name'),
      textColumn('team_id'),
      {
        ...col('skills', 'skills', parseSkills, (a) => formatSkills(a.skills)),
        compare: (a) => formatSkills(a.skills.toSorted((x, y) => compareIds(x.skill_id, y.skill_id))),
      },
      { ...intColumn('chat_concurrency', 'chat_concurrency', (a) => a.chat_concurrency), default: '1' },
      col('shift_start', 'shift.start_minute', parseTime, (a) => formatTime(a.shift.start_minute)),
      intColumn('shift_length_minutes', 'shift.length_minutes', (a) => a.shift.length_minutes),
      col('shift_weekdays', 'shift.weekdays', parseWeekdays, (a) => formatWeekdays(a.shift.weekdays)),
      { ...col('breaks', 'shift.breaks', parseBreaks, (a) => a.shift.breaks.map((b) => `${b.kind}@${b.offset_minutes}+${b.minutes}`).join(';')), default: '' },
    ],
    describe: (a) => `${quote(a.display_name)} (team ${a.team_id})`,
  },
  queues: {
    noun: 'queue',
    columns: [
      idColumn('queue_id'),
      textColumn('name'),
      col('channel', 'channel', lowercase, (q) => q.channel),
      textColumn('skill_id'),
      intColumn('sl_threshold_s', 'sl_threshold_s', (q) => q.sl_threshold_s),
      col('sl_target', 'sl_target', parseTarget, (q) => String(q.sl_target)),
    ],
    describe: (q) => `${quote(q.name)} (${q.channel}, skill ${q.skill_id})`,
  },
  bots: {
    noun: 'bot',
    columns: [
      idColumn('bot_id'),
      textColumn('name'),
      col(
        'channels',
        'channels',
        (cell) => ({ value: splitList(cell.toLowerCase()) }),
        (b) => b.channels.join(';'),
      ),
    ],
    describe: (b) => `${quote(b.name)} (${b.channels.join(';')})`,
  },
  intents: {
    noun: 'intent',
    columns: [idColumn('intent_id'), textColumn('bot_id'), textColumn('label'), textColumn('queue_id')],
    describe: (i) => `${quote(i.label)} (bot ${i.bot_id}, queue ${i.queue_id})`,
  },
};

// Code-point order, as getCenterConfig sorts.
const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const objectsIn = (value: unknown, key: string): Record<string, unknown>[] => {
  const list = isObject(value) ? value[key] : undefined;
  return Array.isArray(list) ? list.map((item: unknown) => (isObject(item) ? item : {})) : [];
};
const stringOr = (value: unknown) => (typeof value === 'string' ? value : undefined);
const pathKey = (path: readonly (string | number)[]) => path.join('.');

function isTimeZone(name: string): boolean {
  try {
    // Newer engines also accept offsets such as +05:00: not zones (no DST), and read by Postgres with the opposite sign.
    return !/^[+-]/.test(new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone);
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

/**
 * Every problem in `value` as a CenterConfig to import: the schema's, then duplicate ids,
 * references that resolve neither in `value` nor in `existing`, breaks past the end of their
 * shift and the timezone. The checks beyond the schema run on whatever parts are well formed,
 * so one bad field hides nothing else.
 */
function checkCenterConfig(value: unknown, existing: CenterConfig | undefined): { issues: Issue[]; config?: CenterConfig } {
  const parsed = CenterConfig.safeParse(value);
  const issues: Issue[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
        // The union of literals says only "Invalid input".
        const message =
          issue.code === 'invalid_union' && path.at(-1) === 'sl_threshold_s' ? `expected one of ${serviceLevelThresholdsS.join(', ')}` : issue.message;
        return { path, message };
      });
  const reported = new Set(issues.map((issue) => pathKey(issue.path)));
  const add = (path: Path, message: string) => {
    if (!reported.has(pathKey(path))) issues.push({ path, message });
  };

  const known = {} as Record<CenterList, Set<string>>;
  for (const list of centerLists) {
    const items = objectsIn(value, list);
    const counts = new Map<string, number>();
    for (const item of items) {
      const id = stringOr(item.id);
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    items.forEach((item, i) => {
      const count = counts.get(stringOr(item.id) ?? '') ?? 0;
      if (count > 1) add([list, i, 'id'], `id "${String(item.id)}" is used ${count} times`);
    });
    known[list] = new Set([...counts.keys(), ...(existing?.[list] ?? []).map((item) => item.id)]);
  }
  const requireRef = (list: CenterList, ref: unknown, path: Path) => {
    const id = stringOr(ref);
    if (id !== undefined && !known[list].has(id)) add(path, `unknown ${specs[list].noun} "${id}"`);
  };

  objectsIn(value, 'agents').forEach((agent, i) => {
    requireRef('teams', agent.team_id, ['agents', i, 'team_id']);
    const skillIds = new Set<string>();
    objectsIn(agent, 'skills').forEach((skill, j) => {
      requireRef('skills', skill.skill_id, ['agents', i, 'skills', j, 'skill_id']);
      const id = stringOr(skill.skill_id);
      if (id !== undefined && skillIds.has(id)) add(['agents', i, 'skills', j], `skill "${id}" is listed twice`);
      if (id !== undefined) skillIds.add(id);
    });
    const shift = isObject(agent.shift) ? agent.shift : {};
    const length = shift.length_minutes;
    objectsIn(shift, 'breaks').forEach((b, k) => {
      const { offset_minutes: offset, minutes } = b;
      if (typeof length === 'number' && typeof offset === 'number' && typeof minutes === 'number' && offset + minutes > length) {
        add(['agents', i, 'shift', 'breaks', k], `${String(b.kind)} from minute ${offset} to ${offset + minutes} ends after the ${length}-minute shift`);
      }
    });
  });
  objectsIn(value, 'queues').forEach((queue, i) => requireRef('skills', queue.skill_id, ['queues', i, 'skill_id']));
  objectsIn(value, 'intents').forEach((intent, i) => {
    requireRef('bots', intent.bot_id, ['intents', i, 'bot_id']);
    requireRef('queues', intent.queue_id, ['intents', i, 'queue_id']);
  });
  const timezone = isObject(value) ? stringOr(value.timezone) : undefined;
  if (timezone && !isTimeZone(timezone)) add(['timezone'], `unknown time zone "${timezone}": use an IANA name such as Europe/London`);

  return issues.length === 0 && parsed.success ? { issues, config: parsed.data } : { issues };
}

const jsonPath = (path: Path) => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

/** Every problem of `config` (e.g. parsed JSON) as an import into a tenant holding `existing`. */
export function validateCenterConfig(config: unknown, existing?: CenterConfig, file = 'config.json'): ImportProblem[] {
  return checkCenterConfig(config, existing).issues.map(({ path, message }) =>
    path.length > 0 ? { file, column: jsonPath(path), message } : { file, message },
  );
}

const isCenterList = (value: unknown): value is CenterList => centerLists.some((list) => list === value);

type Table = { list: CenterList; header: string[]; records: { row: number; cells: string[] }[]; problems: ImportProblem[] };

/**
 * Parsed without papaparse's `header` and `skipEmptyLines`: both would lose what a problem
 * must report (the spreadsheet's row number past a blank row; a header given twice, which
 * `header` renames), so blank rows are skipped here, as 'greedy' would.
 */
function readTable(list: CenterList, text: string): Table {
  const file = `${list}.csv`;
  const { columns } = specs[list];
  const parsed = Papa.parse<string[]>(text, { delimiter: ',' });
  const [firstRow = [], ...rows] = parsed.data;
  const header = firstRow.map((h) => h.trim().toLowerCase());
  const problems: ImportProblem[] = [];
  const names = columns.map((c) => c.name);
  if (header.every((h) => h === '')) {
    problems.push({ file, row: 1, message: `row 1 must be the header: ${names.join(',')}` });
    return { list, header, records: [], problems };
  }
  const seen = new Set<string>();
  header.forEach((h, i) => {
    if (h === '') problems.push({ file, row: 1, message: `column ${i + 1} has no header` });
    else if (seen.has(h)) problems.push({ file, row: 1, column: h, message: `column "${h}" appears twice` });
    else if (!names.includes(h)) {
      const hint = h.includes(';') ? 'columns are separated by commas, not semicolons' : `${file} has the columns ${names.join(', ')}`;
      problems.push({ file, row: 1, column: h, message: `unknown column "${h}": ${hint}` });
    }
    seen.add(h);
  });
  for (const c of columns) {
    if (c.default === undefined && !seen.has(c.name)) problems.push({ file, row: 1, column: c.name, message: `missing column "${c.name}"` });
  }

  const broken = new Set<number>();
  for (const { row, message } of parsed.errors) {
    if (row === undefined) problems.push({ file, message });
    else {
      broken.add(row);
      problems.push({ file, row: row + 1, message });
    }
  }
  const records: Table['records'] = [];
  rows.forEach((cells, i) => {
    const row = i + 2;
    if (broken.has(i + 1) || cells.every((cell) => cell.trim() === '')) return;
    if (cells.length !== header.length) {
      const hint = cells.length > header.length ? ' (a value with a comma needs quotes)' : '';
      problems.push({ file, row, message: `${cells.length} cells but the header has ${header.length}${hint}` });
    } else records.push({ row, cells });
  });
  return { list, header, records, problems };
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown) {
  const [key, ...rest] = path;
  if (key === undefined) return;
  if (rest.length === 0) {
    target[key] = value;
    return;
  }
  const child = isObject(target[key]) ? target[key] : {};
  target[key] = child;
  setPath(child, rest, value);
}

/**
 * Reads the CSV files of an import (keyed by list: `{ agents: '…' }`) into a CenterConfig
 * checked as validateCenterConfig does, against the tenant's `existing` configuration. A list
 * without a file is empty and not among the returned `lists`. The CSV files carry no timezone:
 * it is an argument. Header problems are reported alone: the rows mean nothing until they are fixed.
 */
export function parseCenterCsv(
  files: Partial<Record<CenterList, string>>,
  timezone: string,
  existing?: CenterConfig,
): CenterImport | { problems: ImportProblem[] } {
  const tables = centerLists.flatMap((list) => {
    const text = files[list];
    return text === undefined ? [] : [readTable(list, text)];
  });
  const headerProblems = tables.flatMap((t) => t.problems.filter((p) => p.row === 1));
  if (headerProblems.length > 0) return { problems: headerProblems };

  const problems = tables.flatMap((t) => t.problems);
  const raw: Record<string, unknown> = { timezone };
  const rowsOf: Partial<Record<CenterList, number[]>> = {};
  // Cells already reported as unreadable: the schema's complaints about them would only repeat it.
  const unreadable: Path[] = [];
  for (const { list, header, records } of tables) {
    const file = `${list}.csv`;
    const items: Record<string, unknown>[] = [];
    rowsOf[list] = records.map((r) => r.row);
    for (const { row, cells } of records) {
      const item: Record<string, unknown> = {};
      for (const column of specs[list].columns) {
        const index = header.indexOf(column.name);
        const cell = (index >= 0 ? cells[index]?.trim() : '') || column.default;
        const parsed: Cell = cell === undefined ? { error: 'required' } : column.parse(cell);
        if ('error' in parsed) {
          problems.push({ file, row, column: column.name, message: parsed.error });
          unreadable.push([list, items.length, ...column.path]);
        } else setPath(item, column.path, parsed.value);
      }
      items.push(item);
    }
    raw[list] = items;
  }
  for (const list of centerLists) raw[list] ??= [];

  const { issues, config } = checkCenterConfig(raw, existing);
  for (const { path, message } of issues) {
    if (unreadable.some((prefix) => prefix.every((p, i) => path[i] === p))) continue;
    const [list, index, ...rest] = path;
    if (!isCenterList(list) || typeof index !== 'number') {
      problems.push({ file: 'timezone', message });
      continue;
    }
    const column = specs[list].columns.find((c) => c.path.every((p, i) => rest[i] === p));
    problems.push({ file: `${list}.csv`, row: rowsOf[list]?.[index], column: column?.name, message });
  }
  if (problems.length > 0 || !config) return { problems: sortProblems(problems) };
  return { config, lists: tables.map((t) => t.list) };
}

function sortProblems(problems: ImportProblem[]): ImportProblem[] {
  const fileOrder = (p: ImportProblem) => centerLists.findIndex((list) => `${list}.csv` === p.file);
  return problems.toSorted((a, b) => fileOrder(a) - fileOrder(b) || (a.row ?? 0) - (b.row ?? 0));
}

/** `agents.csv, row 4, skills: …` or `config.json, agents[3].team_id: …`. */
export function formatImportProblem(p: ImportProblem): string {
  return `${[p.file, p.row === undefined ? undefined : `row ${p.row}`, p.column].filter((part) => part !== undefined).join(', ')}: ${p.message}`;
}

/** The CSV files of `config`, in its order, which parseCenterCsv reads back to `config`. */
export function centerConfigToCsv(config: CenterConfig): Record<CenterList, string> {
  const toCsv = <K extends CenterList>(list: K) => {
    const { columns } = specs[list] as ListSpec<Item<K>>;
    const items: readonly Item<K>[] = config[list];
    // Rows only, header first: given `fields` and no data, unparse writes an empty row.
    return `${Papa.unparse([columns.map((c) => c.name), ...items.map((item) => columns.map((c) => c.format(item)))], { newline: '\n' })}\n`;
  };
  return Object.fromEntries(centerLists.map((list) => [list, toCsv(list)])) as Record<CenterList, string>;
}

/**
 * The configuration seedTenant leaves behind when given `incoming` over `existing`: every item
 * of `incoming` replaces the stored one with its id, nothing is removed. seedTenant wants
 * every reference inside the config it is given, so a partial import is seeded merged.
 */
export function mergeCenterConfig(existing: CenterConfig, incoming: CenterConfig): CenterConfig {
  const merge = <T extends { id: string }>(stored: readonly T[], imported: readonly T[]) =>
    [...new Map([...stored, ...imported].map((item) => [item.id, item])).values()].sort((a, b) => compareIds(a.id, b.id));
  return {
    timezone: incoming.timezone,
    skills: merge(existing.skills, incoming.skills),
    teams: merge(existing.teams, incoming.teams),
    agents: merge(existing.agents, incoming.agents),
    queues: merge(existing.queues, incoming.queues),
    bots: merge(existing.bots, incoming.bots),
    intents: merge(existing.intents, incoming.intents),
  };
}

/** A changed field, in its CSV column's name and notation. */
type FieldChange = { column: string; from: string; to: string };

/** `kept`: stored items the import does not mention, which it leaves as they are. */
type ListDiff<T> = { added: T[]; changed: { id: string; changes: FieldChange[] }[]; unchanged: number; kept: number };

export type CenterDiff = { timezone?: { from: string; to: string }; lists: { [K in CenterList]?: ListDiff<Item<K>> } };

function diffList<T extends { id: string }>(spec: ListSpec<T>, stored: readonly T[], imported: readonly T[]): ListDiff<T> {
  const before = new Map(stored.map((item) => [item.id, item]));
  const importedIds = new Set(imported.map((item) => item.id));
  const diff: ListDiff<T> = { added: [], changed: [], unchanged: 0, kept: stored.filter((item) => !importedIds.has(item.id)).length };
  for (const item of imported.toSorted((a, b) => compareIds(a.id, b.id))) {
    const old = before.get(item.id);
    if (!old) {
      diff.added.push(item);
      continue;
    }
    const changes = spec.columns
      .filter((c) => c.path[0] !== 'id' && (c.compare ?? c.format)(old) !== (c.compare ?? c.format)(item))
      .map((c) => ({ column: c.name, from: c.format(old), to: c.format(item) }));
    if (changes.length > 0) diff.changed.push({ id: item.id, changes });
    else diff.unchanged++;
  }
  return diff;
}

/**
 * What importing `incoming` into a tenant holding `existing` would change, under seedTenant's
 * rules: upsert by id, nothing deleted, an agent's skill set replaced. Only `lists` (those the
 * import supplied) are compared, so a partial import does not list everything else as kept.
 */
export function diffCenterConfig(existing: CenterConfig, incoming: CenterConfig, lists: readonly CenterList[] = centerLists): CenterDiff {
  const diffOne = <K extends CenterList>(list: K) => (lists.includes(list) ? diffList<Item<K>>(specs[list], existing[list], incoming[list]) : undefined);
  return {
    ...(existing.timezone === incoming.timezone ? {} : { timezone: { from: existing.timezone, to: incoming.timezone } }),
    lists: {
      skills: diffOne('skills'),
      teams: diffOne('teams'),
      agents: diffOne('agents'),
      queues: diffOne('queues'),
      bots: diffOne('bots'),
      intents: diffOne('intents'),
    },
  };
}

const shown = (cell: string) => (cell === '' ? '(none)' : /[\s,"]/.test(cell) ? quote(cell) : cell);

/** The dry run's lines: one per added or changed item, then the totals. */
export function formatCenterDiff(diff: CenterDiff): string {
  const lines: string[] = [];
  const total = { added: 0, changed: 0, unchanged: 0, kept: 0 };
  if (diff.timezone) {
    lines.push(`~ timezone: ${diff.timezone.from} → ${diff.timezone.to}`);
    total.changed++;
  }
  const formatOne = <K extends CenterList>(list: K) => {
    const listDiff: ListDiff<Item<K>> | undefined = diff.lists[list];
    if (!listDiff) return;
    const { noun, describe } = specs[list] as ListSpec<Item<K>>;
    for (const item of listDiff.added) lines.push(`+ ${noun} ${item.id} ${describe(item)}`);
    for (const { id, changes } of listDiff.changed) {
      lines.push(`~ ${noun} ${id}: ${changes.map((c) => `${c.column} ${shown(c.from)} → ${shown(c.to)}`).join(', ')}`);
    }
    total.added += listDiff.added.length;
    total.changed += listDiff.changed.length;
    total.unchanged += listDiff.unchanged;
    total.kept += listDiff.kept;
  };
  for (const list of centerLists) formatOne(list);
  const kept = total.kept > 0 ? `, ${total.kept} kept (stored but not in the import; an import never deletes)` : '';
  lines.push(`${total.added} added, ${total.changed} changed, ${total.unchanged} unchanged${kept}`);
  return lines.join('\n');
}

/** The body of an import (admin screen or operator command): a whole config as JSON, or some CSV files by list. */
export const CenterImportRequest = z
  .object({
    json: z.unknown().optional(),
    csv: z.partialRecord(z.enum(centerLists), z.string().max(20_000_000)).optional(),
    dryRun: z.boolean().default(false),
  })
  .refine((r) => (r.json === undefined) !== (r.csv === undefined), { message: 'send either json or csv files' });

/** The list a CSV file holds, from its name: it starts with the list's name (`agents.csv`, `Agents 2026-12.csv`). */
export function centerListOfFileName(fileName: string): CenterList | undefined {
  const name = fileName.split(/[\\/]/).pop()!.toLowerCase();
  return centerLists.find((list) => name.startsWith(list) && name.endsWith('.csv'));
}
