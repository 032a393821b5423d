import type { TelemetryEvent } from '@switchboard/contracts';
import { describe, expect, it } from 'vitest';
import { demoCenter } from './demo-center.ts';
import { selectStaffed } from './model.ts';
import { simulate } from './simulate.ts';
import { getLocalMidnight } from './time.ts';

/** Tuesday 2024-05-07, local. */
const day = Date.UTC(2024, 4, 7) / 86_400_000;
const start = getLocalMidnight(demoCenter.timezone, day);
const end = getLocalMidnight(demoCenter.timezone, day + 1);

interface DayStats {
  offered: number;
  abandoned: number;
  answered: number;
  waitMs: number;
  contacts: Set<string>;
}

function getDayStats(staffingFactor: number): DayStats {
  const stats: DayStats = { offered: 0, abandoned: 0, answered: 0, waitMs: 0, contacts: new Set() };
  // A transfer re-offers a contact (possibly one from the day before, still being worked): not an arrival.
  const transferred = new Set<string>();
  const count = (e: TelemetryEvent) => {
    if (e.type === 'interaction.transferred') transferred.add(e.interaction_id);
    if (e.type === 'bot.session_started' || (e.type === 'interaction.offered' && !transferred.has(e.interaction_id))) {
      stats.contacts.add(e.interaction_id);
    }
    if (e.type === 'interaction.offered' && e.channel !== 'email') stats.offered++;
    if (e.type === 'interaction.abandoned') stats.abandoned++;
    if (e.type === 'interaction.answered' && e.channel !== 'email') {
      stats.answered++;
      stats.waitMs += e.wait_ms;
    }
  };
  for (const e of simulate({ seed: 99, start, end, staffingFactor })) count(e);
  return stats;
}

describe('staffing', () => {
  it('removing 40% of the agents raises abandonment and waiting on the same day, same seed', () => {
    const full = getDayStats(1);
    const short = getDayStats(0.6);
    // Arrivals do not depend on staffing: the same contacts come in.
    expect(short.contacts).toEqual(full.contacts);
    const abandonRate = (s: DayStats) => s.abandoned / s.offered;
    expect(abandonRate(full)).toBeLessThan(0.08);
    expect(abandonRate(short)).toBeGreaterThan(2 * abandonRate(full));
    expect(short.waitMs / short.answered).toBeGreaterThan(3 * (full.waitMs / full.answered));
  });

  it('removes agents evenly across teams', () => {
    const kept = selectStaffed(demoCenter.agents, 0.6);
    expect(kept).toHaveLength(72);
    for (const team of demoCenter.teams) {
      const all = demoCenter.agents.filter((a) => a.team_id === team.id).length;
      const left = kept.filter((a) => a.team_id === team.id).length;
      expect(Math.abs(left - all * 0.6)).toBeLessThanOrEqual(1);
    }
    expect(selectStaffed(demoCenter.agents, 1)).toHaveLength(120);
    expect(selectStaffed(demoCenter.agents, 0)).toHaveLength(0);
  });
});
