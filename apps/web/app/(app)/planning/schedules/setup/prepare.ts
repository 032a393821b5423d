import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@switchboard/api';
import { timeToMinutes } from '../../prepare';
import { clockOf } from '../prepare';

/**
 * The setup screens' pure half: how templates, contracts and agents' rules read in the tables, and the drafts their
 * editors hold (text as typed, so a refused save keeps it) turned into the API's inputs.
 */

type SetupApi = inferRouterOutputs<AppRouter>['schedules']['setup'];
type SetupInputs = inferRouterInputs<AppRouter>['schedules']['setup'];
export type Setup = SetupApi['get'];
export type Template = Setup['templates'][number];
export type Contract = Setup['contracts'][number];
export type Rules = Setup['rules'][number];
type TemplateInput = SetupInputs['saveTemplate'];
type ContractInput = SetupInputs['saveContract'];
type RulesInput = SetupInputs['saveRules'];
type Availability = NonNullable<Rules['availability']>;

// ── weekdays ─────────────────────────────────────────────────────────────────

/** Index = the API's weekday number (0 = Sunday), the order every weekday list is stored and shown in. */
export const weekdayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const shortNames = weekdayNames.map((d) => d.slice(0, 3));

/** "every day", "none", or runs of consecutive days: "Mon–Fri", "Sun, Sat". */
export function formatWeekdays(days: readonly number[]): string {
  const set = new Set(days);
  if (set.size === 7) return 'every day';
  if (set.size === 0) return 'none';
  const runs: string[] = [];
  for (let d = 0; d < 7; d++) {
    if (!set.has(d)) continue;
    let end = d;
    while (set.has(end + 1)) end++;
    runs.push(end - d >= 2 ? `${shortNames[d]}–${shortNames[end]}` : shortNames.slice(d, end + 1).join(', '));
    d = end;
  }
  return runs.join(', ');
}

/** A weekday list with one day switched on or off, kept in weekday order. */
export function toggleDay(days: readonly number[], day: number, on: boolean): number[] {
  return [...days.filter((d) => d !== day), ...(on ? [day] : [])].sort((a, b) => a - b);
}

// ── clock ────────────────────────────────────────────────────────────────────

/** The end of a window: "24:00" at midnight, "02:00 next day" past it. */
function endClock(minutes: number): string {
  if (minutes === 1440) return '24:00';
  return minutes > 1440 ? `${clockOf(minutes)} next day` : clockOf(minutes);
}

/** A preferred start band ("08:00–09:00"), or "—" when the agent has none. */
export function formatStartBand(from: number | null, to: number | null): string {
  return from === null || to === null ? '—' : `${clockOf(from)}–${clockOf(to)}`;
}

// ── shift templates ──────────────────────────────────────────────────────────

/** Minutes as hours the way the API words them: "8 h", "7.75 h". */
export function formatHours(minutes: number): string {
  return Number.isFinite(minutes) ? `${Number((minutes / 60).toFixed(2))} h` : '—';
}

/** "Break 15 min, 90–150 min in · Lunch 30 min unpaid, 210–270 min in". */
export function formatBreaks(breaks: Template['breaks']): string {
  if (breaks.length === 0) return 'none';
  return breaks
    .map((b) => `${b.kind === 'lunch' ? 'Lunch' : 'Break'} ${b.lengthMin} min${b.paid ? '' : ' unpaid'}, ${b.earliestOffsetMin}–${b.latestOffsetMin} min in`)
    .join(' · ');
}

export interface BreakDraft {
  kind: 'break' | 'lunch';
  lengthMin: string;
  earliestOffsetMin: string;
  latestOffsetMin: string;
  paid: boolean;
}

export interface TemplateDraft {
  id: string | null;
  name: string;
  lengthMin: string;
  startStepMin: string;
  /** "HH:MM", as a time input holds it. */
  earliestStart: string;
  latestStart: string;
  weekdays: number[];
  /** Empty: the shift costs its paid hours. */
  cost: string;
  active: boolean;
  breaks: BreakDraft[];
}

export const newBreak: BreakDraft = { kind: 'break', lengthMin: '15', earliestOffsetMin: '60', latestOffsetMin: '120', paid: true };

export function toTemplateDraft(t: Template | null): TemplateDraft {
  if (!t) {
    return {
      id: null,
      name: '',
      lengthMin: '480',
      startStepMin: '30',
      earliestStart: '08:00',
      latestStart: '10:00',
      weekdays: [1, 2, 3, 4, 5],
      cost: '',
      active: true,
      breaks: [],
    };
  }
  return {
    id: t.id,
    name: t.name,
    lengthMin: String(t.lengthMin),
    startStepMin: String(t.startStepMin),
    earliestStart: clockOf(t.earliestStartMin),
    latestStart: clockOf(t.latestStartMin),
    weekdays: [...t.weekdays],
    cost: t.cost === null ? '' : String(t.cost),
    active: t.active,
    breaks: t.breaks.map((b) => ({
      kind: b.kind,
      lengthMin: String(b.lengthMin),
      earliestOffsetMin: String(b.earliestOffsetMin),
      latestOffsetMin: String(b.latestOffsetMin),
      paid: b.paid,
    })),
  };
}

/** An empty number field reads as NaN, which the API refuses with the field's name. */
const numberOf = (text: string): number => (text.trim() === '' ? NaN : Number(text));

export function toTemplateInput(d: TemplateDraft): TemplateInput {
  return {
    ...(d.id ? { id: d.id } : {}),
    name: d.name,
    lengthMin: numberOf(d.lengthMin),
    startStepMin: numberOf(d.startStepMin),
    earliestStartMin: timeToMinutes(d.earliestStart) ?? NaN,
    latestStartMin: timeToMinutes(d.latestStart) ?? NaN,
    weekdays: d.weekdays,
    cost: d.cost.trim() === '' ? null : numberOf(d.cost),
    active: d.active,
    breaks: d.breaks.map((b) => ({
      kind: b.kind,
      lengthMin: numberOf(b.lengthMin),
      earliestOffsetMin: numberOf(b.earliestOffsetMin),
      latestOffsetMin: numberOf(b.latestOffsetMin),
      paid: b.paid,
    })),
  };
}

// ── contracts ────────────────────────────────────────────────────────────────

export interface ContractDraft {
  id: string | null;
  name: string;
  minHours: string;
  maxHours: string;
  /** Hours, as planners think of rest; the API keeps minutes. */
  minRestHours: string;
  maxConsecutiveDays: string;
  daysOffPerWeek: string;
  fixedDaysOff: number[];
}

export function toContractDraft(c: Contract | null): ContractDraft {
  if (!c) return { id: null, name: '', minHours: '', maxHours: '', minRestHours: '11', maxConsecutiveDays: '6', daysOffPerWeek: '2', fixedDaysOff: [] };
  return {
    id: c.id,
    name: c.name,
    minHours: String(c.minHours),
    maxHours: String(c.maxHours),
    minRestHours: String(c.minRestMin / 60),
    maxConsecutiveDays: String(c.maxConsecutiveDays),
    daysOffPerWeek: String(c.daysOffPerWeek),
    fixedDaysOff: [...c.fixedDaysOff],
  };
}

export function toContractInput(d: ContractDraft): ContractInput {
  return {
    ...(d.id ? { id: d.id } : {}),
    name: d.name,
    minHours: numberOf(d.minHours),
    maxHours: numberOf(d.maxHours),
    minRestMin: Math.round(numberOf(d.minRestHours) * 60),
    maxConsecutiveDays: numberOf(d.maxConsecutiveDays),
    daysOffPerWeek: numberOf(d.daysOffPerWeek),
    fixedDaysOff: d.fixedDaysOff,
  };
}

// ── agents' rules ────────────────────────────────────────────────────────────

/** "any time", or the days the agent can work with their hours: "Mon–Fri all day", "Mon 08:00–16:00, Tue …". */
export function summariseAvailability(availability: Availability | null): string {
  if (availability === null) return 'any time';
  const open = availability.flatMap((w, d) => (w ? [{ d, w }] : []));
  if (open.length === 0) return 'never';
  const window = (w: { from: number; to: number }) => (w.to - w.from === 1440 ? 'all day' : `${clockOf(w.from)}–${endClock(w.to)}`);
  const windows = new Set(open.map(({ w }) => window(w)));
  if (windows.size === 1) return `${formatWeekdays(open.map(({ d }) => d))} ${[...windows][0]}`;
  return open.map(({ d, w }) => `${shortNames[d]} ${window(w)}`).join(', ');
}

export interface DayWindowDraft {
  available: boolean;
  /** "HH:MM"; an end at or before the start is on the next day (00:00–00:00: the whole day). */
  from: string;
  to: string;
}

export interface RulesDraft {
  contractId: string;
  /** Empty: the tenant's. */
  timezone: string;
  /** The agent can work at any time on any day: availability is not stored. */
  anyTime: boolean;
  days: DayWindowDraft[];
  preferredFrom: string;
  preferredTo: string;
  preferredDaysOff: number[];
}

export function toRulesDraft(r: Rules | null, defaultContractId: string): RulesDraft {
  const anyTime = !r || r.availability === null;
  // Switching "any time" off starts from every day, all day: what "any time" meant.
  const days = Array.from({ length: 7 }, (_, d) => {
    const w = r?.availability?.[d];
    return w ? { available: true, from: clockOf(w.from), to: clockOf(w.to) } : { available: anyTime, from: '00:00', to: '00:00' };
  });
  return {
    contractId: r?.contractId ?? defaultContractId,
    timezone: r?.timezone ?? '',
    anyTime,
    days,
    preferredFrom: r && r.preferredStartFrom !== null ? clockOf(r.preferredStartFrom) : '',
    preferredTo: r && r.preferredStartTo !== null ? clockOf(r.preferredStartTo) : '',
    preferredDaysOff: [...(r?.preferredDaysOff ?? [])],
  };
}

/** A day's window in the API's minutes: an end at or before the start runs past midnight. */
function toWindow(day: DayWindowDraft): { from: number; to: number } {
  const from = timeToMinutes(day.from) ?? NaN;
  const to = timeToMinutes(day.to) ?? NaN;
  return { from, to: to <= from ? to + 1440 : to };
}

export function toRulesInput(agentId: string, d: RulesDraft): RulesInput {
  return {
    agentId,
    contractId: d.contractId,
    timezone: d.timezone.trim() === '' ? null : d.timezone.trim(),
    availability: d.anyTime ? null : d.days.map((day) => (day.available ? toWindow(day) : null)),
    preferredStartFrom: timeToMinutes(d.preferredFrom),
    preferredStartTo: timeToMinutes(d.preferredTo),
    preferredDaysOff: d.preferredDaysOff,
  };
}

// ── errors ───────────────────────────────────────────────────────────────────

/**
 * What the API refused, each validation issue named by the field people see ("Break 1 latest offset: …"); a refusal
 * without issues (a rule the contract breaks) in the API's own words.
 */
export function describeRefusal(error: { message: string; data?: unknown }, labels: Record<string, string>): string {
  const issues = (error.data as { issues?: { path: string; message: string }[] } | null | undefined)?.issues;
  if (!issues || issues.length === 0) return error.message;
  const labelOf = (path: string): string | undefined => {
    const row = /^(breaks|availability)\.(\d+)(?:\.(\w+))?$/.exec(path);
    if (row) return `${row[1] === 'breaks' ? `Break ${Number(row[2]) + 1}` : weekdayNames[Number(row[2])]}${row[3] ? ` ${labels[row[3]] ?? row[3]}` : ''}`;
    return labels[path] ?? labels[path.split('.')[0]!];
  };
  return issues.map((i) => (i.path && labelOf(i.path) ? `${labelOf(i.path)}: ${i.message}` : i.message)).join('; ');
}
