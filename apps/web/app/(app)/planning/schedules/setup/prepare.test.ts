import { paidMinutesOf } from '@switchboard/planning';
import { describe, expect, it } from 'vitest';
import {
  describeRefusal,
  formatBreaks,
  formatHours,
  formatStartBand,
  formatWeekdays,
  summariseAvailability,
  toContractDraft,
  toContractInput,
  toggleDay,
  toRulesDraft,
  toRulesInput,
  toTemplateDraft,
  toTemplateInput,
  type Contract,
  type Rules,
  type Template,
} from './prepare';

const template: Template = {
  tenantId: 't',
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Full day 8h30',
  lengthMin: 510,
  startStepMin: 30,
  earliestStartMin: 7 * 60,
  latestStartMin: 12 * 60 + 30,
  weekdays: [1, 2, 3, 4, 5],
  cost: null,
  breaks: [
    { kind: 'break', lengthMin: 15, earliestOffsetMin: 90, latestOffsetMin: 150, paid: true },
    { kind: 'lunch', lengthMin: 30, earliestOffsetMin: 210, latestOffsetMin: 270, paid: false },
  ],
  active: true,
  updatedBy: null,
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const rules: Rules = {
  tenantId: 't',
  agentId: '00000000-0000-4000-8000-000000000002',
  contractId: '00000000-0000-4000-8000-000000000003',
  timezone: null,
  availability: [null, { from: 0, to: 1440 }, { from: 0, to: 1440 }, { from: 0, to: 1440 }, { from: 0, to: 1440 }, { from: 1320, to: 1560 }, null],
  preferredStartFrom: 480,
  preferredStartTo: 540,
  preferredDaysOff: [0, 6],
  updatedBy: null,
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('weekdays', () => {
  it('reads runs of days Sunday first, as the API numbers them', () => {
    expect(formatWeekdays([1, 2, 3, 4, 5])).toBe('Mon–Fri');
    expect(formatWeekdays([0, 6])).toBe('Sun, Sat');
    expect(formatWeekdays([0, 1, 3])).toBe('Sun, Mon, Wed');
    expect(formatWeekdays([0, 1, 2, 3, 4, 5, 6])).toBe('every day');
    expect(formatWeekdays([])).toBe('none');
    expect(toggleDay([5, 1], 3, true)).toEqual([1, 3, 5]);
    expect(toggleDay([1, 3, 5], 3, false)).toEqual([1, 5]);
  });
});

describe('shift templates', () => {
  it('counts paid time as the length less unpaid breaks', () => {
    expect(paidMinutesOf(template)).toBe(480);
    expect(formatHours(paidMinutesOf(template))).toBe('8 h');
    expect(formatHours(465)).toBe('7.75 h');
    expect(formatHours(NaN)).toBe('—');
    expect(formatBreaks(template.breaks)).toBe('Break 15 min, 90–150 min in · Lunch 30 min unpaid, 210–270 min in');
  });

  it('gives back the stored template from an untouched draft, and a new one without an id', () => {
    const { tenantId: _t, updatedBy: _b, updatedAt: _a, ...stored } = template;
    expect(toTemplateInput(toTemplateDraft(template))).toEqual(stored);
    const fresh = toTemplateInput(toTemplateDraft(null));
    expect(fresh).not.toHaveProperty('id');
    expect(fresh).toMatchObject({ earliestStartMin: 480, latestStartMin: 600, cost: null });
  });

  it('sends an emptied number as NaN, for the API to name the field', () => {
    expect(toTemplateInput({ ...toTemplateDraft(template), lengthMin: ' ' }).lengthMin).toBeNaN();
    expect(toTemplateInput({ ...toTemplateDraft(template), cost: '7.5' }).cost).toBe(7.5);
  });
});

describe('contracts', () => {
  it('edits rest in hours and stores minutes', () => {
    const contract: Contract = {
      tenantId: 't',
      id: '00000000-0000-4000-8000-000000000003',
      name: 'Full time',
      minHours: 32,
      maxHours: 40,
      minRestMin: 660,
      maxConsecutiveDays: 6,
      daysOffPerWeek: 2,
      fixedDaysOff: [],
      updatedBy: null,
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    const draft = toContractDraft(contract);
    expect(draft.minRestHours).toBe('11');
    expect(toContractInput({ ...draft, minRestHours: '10.5' })).toMatchObject({ id: contract.id, minRestMin: 630, minHours: 32, maxHours: 40 });
  });
});

describe("agents' rules", () => {
  it('summarises availability', () => {
    expect(summariseAvailability(null)).toBe('any time');
    expect(summariseAvailability([null, ...Array.from({ length: 5 }, () => ({ from: 0, to: 1440 })), null])).toBe('Mon–Fri all day');
    expect(summariseAvailability(rules.availability)).toBe('Mon all day, Tue all day, Wed all day, Thu all day, Fri 22:00–02:00 next day');
    expect(summariseAvailability([null, null, null, null, null, null, null])).toBe('never');
    expect(formatStartBand(480, 540)).toBe('08:00–09:00');
    expect(formatStartBand(null, null)).toBe('—');
  });

  it('gives back the stored rules from an untouched draft, windows past midnight included', () => {
    const { tenantId: _t, updatedBy: _b, updatedAt: _a, ...stored } = rules;
    expect(toRulesInput(rules.agentId, toRulesDraft(rules, 'other'))).toEqual(stored);
  });

  it('starts an agent without rules on the first contract, available any time', () => {
    const draft = toRulesDraft(null, 'c1');
    expect(toRulesInput('a1', draft)).toEqual({
      agentId: 'a1',
      contractId: 'c1',
      timezone: null,
      availability: null,
      preferredStartFrom: null,
      preferredStartTo: null,
      preferredDaysOff: [],
    });
    // Switching "any time" off starts from every day, all day.
    expect(toRulesInput('a1', { ...draft, anyTime: false, timezone: ' Europe/Berlin ' })).toMatchObject({
      timezone: 'Europe/Berlin',
      availability: Array.from({ length: 7 }, () => ({ from: 0, to: 1440 })),
    });
  });
});

describe('refusals', () => {
  const labels = { lengthMin: 'Length', latestOffsetMin: 'latest offset', breaks: 'Breaks' };
  it('names each issue by the field on screen', () => {
    const error = {
      message: '[…raw JSON…]',
      data: {
        issues: [
          { path: 'lengthMin', message: 'the length is whole quarter hours' },
          { path: 'breaks.1.latestOffsetMin', message: 'Too big' },
          { path: 'breaks', message: 'each break’s window must lie inside the shift' },
          { path: 'availability.5', message: 'Invalid input' },
          { path: '', message: 'something else' },
        ],
      },
    };
    expect(describeRefusal(error, labels)).toBe(
      'Length: the length is whole quarter hours; Break 2 latest offset: Too big; Breaks: each break’s window must lie inside the shift; Friday: Invalid input; something else',
    );
  });

  it('keeps a rule’s refusal in the API’s words', () => {
    const message = 'minimum hours: 45 h cannot be reached in 5 working days of at most 8 paid hours (the longest shift template)';
    expect(describeRefusal({ message, data: { code: 'BAD_REQUEST' } }, labels)).toBe(message);
  });
});
