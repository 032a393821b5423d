import { CenterConfig } from '@switchboard/contracts';
import { describe, expect, it } from 'vitest';
import { toLocalSlot } from '@switchboard/calendar';
import { demoCenter, demoTimezones, demoTraffic, pickDemoTimezone } from './demo-center.ts';
import { checkTraffic, createTraffic } from './traffic.ts';

describe('demoCenter', () => {
  it('is a valid center config', () => {
    expect(CenterConfig.safeParse(demoCenter).success).toBe(true);
    expect(() => checkTraffic(demoCenter, demoTraffic)).not.toThrow();
  });

  it('has ~120 agents in 8 teams with unique ids and realistic names', () => {
    expect(demoCenter.agents).toHaveLength(120);
    expect(demoCenter.teams).toHaveLength(8);
    expect(new Set(demoCenter.agents.map((a) => a.id)).size).toBe(120);
    expect(new Set(demoCenter.agents.map((a) => a.display_name)).size).toBe(120);
    for (const a of demoCenter.agents) expect(a.display_name).toMatch(/^[A-Z][a-z]+ [A-Z][A-Za-z']+$/);
    const teams = new Set(demoCenter.teams.map((t) => t.id));
    expect(demoCenter.agents.every((a) => teams.has(a.team_id))).toBe(true);
  });

  it('has 8+ queues over voice, chat (concurrent) and email, each with a known skill and an SL target', () => {
    expect(demoCenter.queues.length).toBeGreaterThanOrEqual(8);
    expect(new Set(demoCenter.queues.map((q) => q.channel))).toEqual(new Set(['voice', 'chat', 'email']));
    const skills = new Set(demoCenter.skills.map((s) => s.id));
    for (const q of demoCenter.queues) {
      expect(skills.has(q.skill_id)).toBe(true);
      expect(demoCenter.agents.some((a) => a.skills.some((s) => s.skill_id === q.skill_id))).toBe(true);
    }
    const chatSkills = new Set(demoCenter.queues.filter((q) => q.channel === 'chat').map((q) => q.skill_id));
    const chatAgents = demoCenter.agents.filter((a) => a.skills.some((s) => chatSkills.has(s.skill_id)));
    expect(chatAgents.length).toBeGreaterThan(10);
    expect(chatAgents.every((a) => a.chat_concurrency >= 2)).toBe(true);
  });

  it('has one bot whose 6–10 intents each escalate to a queue of a channel it serves', () => {
    expect(demoCenter.bots).toHaveLength(1);
    const bot = demoCenter.bots[0]!;
    expect(demoCenter.intents.length).toBeGreaterThanOrEqual(6);
    expect(demoCenter.intents.length).toBeLessThanOrEqual(10);
    for (const intent of demoCenter.intents) {
      const queue = demoCenter.queues.find((q) => q.id === intent.queue_id);
      expect(queue && bot.channels.includes(queue.channel)).toBe(true);
    }
  });

  it('staffs weekdays 07:00–21:00 with staggered shifts, each with breaks and a lunch for full-timers, and a thinner weekend', () => {
    const onShift = (weekday: number, minute: number) =>
      demoCenter.agents.filter(
        (a) => a.shift.weekdays.includes(weekday) && a.shift.start_minute <= minute && minute < a.shift.start_minute + a.shift.length_minutes,
      ).length;
    for (let minute = 7 * 60; minute < 21 * 60; minute += 30) {
      expect(onShift(2, minute), `Tuesday ${minute / 60}h`).toBeGreaterThan(10);
      expect(onShift(6, minute), `Saturday ${minute / 60}h`).toBeGreaterThan(3);
    }
    expect(new Set(demoCenter.agents.map((a) => a.shift.start_minute)).size).toBeGreaterThanOrEqual(6);
    const saturday = demoCenter.agents.filter((a) => a.shift.weekdays.includes(6)).length;
    const tuesday = demoCenter.agents.filter((a) => a.shift.weekdays.includes(2)).length;
    expect(saturday).toBeLessThan(tuesday / 3);
    for (const a of demoCenter.agents) {
      expect(a.shift.breaks.some((b) => b.kind === 'break')).toBe(true);
      if (a.shift.length_minutes >= 8 * 60) expect(a.shift.breaks.filter((b) => b.kind === 'lunch')).toHaveLength(1);
      expect(a.shift.weekdays).toHaveLength(5);
    }
  });

  it('plans a weekday of 6–10k contacts', () => {
    const total = Object.values(demoTraffic.queues).reduce((sum, q) => sum + q.daily_volume, 0);
    expect(total).toBeGreaterThan(6000);
    expect(total).toBeLessThan(10_000);
  });
});

describe('createTraffic', () => {
  it('gives every queue channel defaults: email never abandons', () => {
    const traffic = createTraffic(demoCenter);
    const email = demoCenter.queues.find((q) => q.channel === 'email')!;
    expect(traffic.queues[email.id]!.patience_mean_s).toBeNull();
    expect(Object.keys(traffic.intents).sort()).toEqual(demoCenter.intents.map((i) => i.id).sort());
  });

  it('refuses traffic that does not fit the center, naming the setting', () => {
    expect(() => createTraffic(demoCenter, { queues: { 'general-voice': { transfer_to: ['service-chat'] } } })).toThrow(
      /general-voice.*voice queue.*service-chat/,
    );
    expect(() => createTraffic(demoCenter, { queues: { 'service-email': { bot_share: 0.5 } } })).toThrow(/no intent escalates/);
    expect(() => createTraffic(demoCenter, { day_factors: [1, 1] })).toThrow(/day_factors/);
    expect(() => checkTraffic(demoCenter, { ...demoTraffic, queues: {} })).toThrow(/has no traffic/);
  });
});

describe('pickDemoTimezone', () => {
  it('puts the demo center in its working morning whenever it is started, in any season', () => {
    const seen = new Set<string>();
    for (const first of [Date.UTC(2026, 0, 5), Date.UTC(2026, 2, 30), Date.UTC(2026, 6, 6), Date.UTC(2026, 9, 26)]) {
      // Every quarter-hour of a week.
      for (let at = first; at < first + 7 * 86_400_000; at += 900_000) {
        const zone = pickDemoTimezone(new Date(at));
        seen.add(zone);
        const minute = toLocalSlot(at, zone, 15).slot * 15;
        // Shifts start at 07:00 and the last full-timers leave after 21:00.
        expect({ at: new Date(at).toISOString(), zone, minute: minute >= 7.5 * 60 && minute <= 13.5 * 60 }).toEqual({
          at: new Date(at).toISOString(),
          zone,
          minute: true,
        });
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(12);
    expect([...seen].every((z) => (demoTimezones as readonly string[]).includes(z))).toBe(true);
  });

  it('prefers a weekday morning to a weekend one as near', () => {
    // Sunday 21:00 UTC: 11:00 on Sunday in Honolulu, 10:00 on Monday in Auckland.
    expect(pickDemoTimezone(new Date('2026-12-06T21:00:00Z'))).toBe('Pacific/Auckland');
  });
});
