import { describe, expect, it } from 'vitest';
import type { PlannedActivity } from '../schedule/week.ts';
import { eligibleForOffer, proposeOffers, type OfferCandidate } from './offers.ts';

describe('proposeOffers', () => {
  const gap = [0, 2.5, 3.2, 2.1, 0.4, -1.2, -3.5, -3.1, -1.4, -0.2, 1.5];

  it('offers VTO for the least spare agents of a run and overtime for its least shortfall, peaks on top', () => {
    expect(proposeOffers({ gap, fromSlot: 0, threshold: 1 })).toEqual([
      // floor(2.1) = 2 can go for slots 1–3; the one more slot 2 could spare is a run of one.
      { kind: 'vto', fromSlot: 1, toSlot: 4, agents: 2 },
      // ceil(1.2) = 2 wanted for slots 5–8, and ceil(3.1) − 2 = 2 more for slots 6–7; slot 10's single slot is dropped.
      { kind: 'overtime', fromSlot: 5, toSlot: 9, agents: 2 },
      { kind: 'overtime', fromSlot: 6, toSlot: 8, agents: 2 },
    ]);
  });

  it('starts at fromSlot and keeps runs down to minSlots', () => {
    expect(proposeOffers({ gap, fromSlot: 2, threshold: 1 }).filter((o) => o.kind === 'vto')).toEqual([{ kind: 'vto', fromSlot: 2, toSlot: 4, agents: 2 }]);
    expect(proposeOffers({ gap, fromSlot: 7, threshold: 1, minSlots: 1 })).toEqual([
      { kind: 'vto', fromSlot: 10, toSlot: 11, agents: 1 },
      { kind: 'overtime', fromSlot: 7, toSlot: 9, agents: 2 },
      { kind: 'overtime', fromSlot: 7, toSlot: 8, agents: 2 },
    ]);
  });

  it('offers no VTO for less than a whole spare agent, but overtime for part of one', () => {
    expect(proposeOffers({ gap: [0.7, 0.9, 0.6, -0.6, -0.7], fromSlot: 0, threshold: 0.5 })).toEqual([{ kind: 'overtime', fromSlot: 3, toSlot: 5, agents: 1 }]);
    expect(proposeOffers({ gap: [0.7, 0.9, 0.6, -0.6, -0.7], fromSlot: 0, threshold: 1 })).toEqual([]);
  });
});

const work = (start: number, end: number): PlannedActivity => ({ kind: 'work', start, end });
const candidate = (agentId: string, activities: PlannedActivity[], extra: Partial<OfferCandidate> = {}): OfferCandidate => ({
  agentId,
  skillQueueIds: ['q1'],
  activities,
  weekPaidMinutes: 2400,
  maxWeekMinutes: 2700,
  minRestMin: 660,
  ...extra,
});

describe('eligibleForOffer', () => {
  it('gives overtime to those it extends or leaves rested, and says which rule refuses the others', () => {
    const result = eligibleForOffer({
      kind: 'overtime',
      start: 1020,
      end: 1080,
      groupQueueIds: ['q1', 'q3'],
      candidates: [
        // 09:00–17:00 today and tomorrow: 17:00–18:00 extends today's shift, 15 h rest before tomorrow's.
        candidate('extends', [work(540, 1020), work(1980, 2460)]),
        candidate('precedes', [work(1080, 1500)]),
        candidate('standalone', [work(-480, -120)], { skillQueueIds: ['q3'] }),
        candidate('no-skill', [work(540, 1020)], { skillQueueIds: ['q2'] }),
        candidate('busy', [work(540, 1020), { kind: 'meeting', start: 1020, end: 1035 }]),
        candidate('hours', [work(540, 1020)], { weekPaidMinutes: 2650 }),
        // Ends 16:00: an hour's gap, no rest and no extension.
        candidate('gap-before', [work(420, 960)]),
        // Extends today's shift but starts again at 04:00 tomorrow: 10 h rest after.
        candidate('short-rest-after', [work(540, 1020), work(1680, 2160)]),
      ],
    });
    expect(result.eligible).toEqual(['extends', 'precedes', 'standalone']);
    expect(result.refused).toEqual([
      { agentId: 'no-skill', rule: 'no_skill' },
      { agentId: 'busy', rule: 'busy' },
      { agentId: 'hours', rule: 'max_week_minutes' },
      { agentId: 'gap-before', rule: 'min_rest' },
      { agentId: 'short-rest-after', rule: 'min_rest' },
    ]);
  });

  it('gives VTO to those working the whole range in the group', () => {
    const result = eligibleForOffer({
      kind: 'vto',
      start: 600,
      end: 720,
      groupQueueIds: ['q1'],
      candidates: [
        candidate('working', [work(540, 1020)]),
        candidate('split-work', [work(540, 660), work(660, 1020)]),
        candidate('on-break', [work(540, 630), { kind: 'break', start: 630, end: 645 }, work(645, 1020)]),
        candidate('day-off', []),
        candidate('starts-late', [work(630, 1020)]),
        candidate('other-group', [work(540, 1020)], { skillQueueIds: ['q2'] }),
      ],
    });
    expect(result.eligible).toEqual(['working', 'split-work']);
    expect(result.refused).toEqual([
      { agentId: 'on-break', rule: 'not_working' },
      { agentId: 'day-off', rule: 'not_working' },
      { agentId: 'starts-late', rule: 'not_working' },
      { agentId: 'other-group', rule: 'no_skill' },
    ]);
  });
});
