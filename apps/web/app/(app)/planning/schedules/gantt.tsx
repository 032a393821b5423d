'use client';

import { useState, type KeyboardEvent } from 'react';
import { kindColor, kindLabel, kindOrder } from './activity-kinds';
import { formatDay, prepareGantt, type GanttSort, type ScheduleView, type Week } from './prepare';
import styles from './schedules.module.css';

/** Arrow keys move between the agent-day cells, as in a spreadsheet. */
function moveFocus(e: KeyboardEvent<HTMLButtonElement>) {
  const step: Record<string, [number, number]> = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
  const delta = step[e.key];
  if (!delta) return;
  const row = Number(e.currentTarget.dataset.row) + delta[0];
  const day = Number(e.currentTarget.dataset.day) + delta[1];
  const next = e.currentTarget.closest('[data-gantt]')?.querySelector<HTMLButtonElement>(`button[data-row="${row}"][data-day="${day}"]`);
  if (next) {
    e.preventDefault();
    next.focus();
  }
}

/** Agents × the week: one row per agent, activities coloured by kind, each agent-day a button. */
export function Gantt({
  view,
  activities,
  week,
  selected,
  onPick,
  actionLabel,
}: {
  view: ScheduleView;
  activities: ScheduleView['activities'];
  week: Week;
  selected: { agentId: string; shiftDate: string } | null;
  onPick: (agentId: string, shiftDate: string) => void;
  /** "Edit" on a draft a planner may change, "Show" otherwise. */
  actionLabel: string;
}) {
  const [sort, setSort] = useState<GanttSort>('start');
  const [team, setTeam] = useState('');
  const [skill, setSkill] = useState('');
  const rows = prepareGantt({ agents: view.agents, activities }, week, { sort, team, skill });
  const teams = [...new Map(view.agents.map((a) => [a.teamKey, a.teamName])).entries()].sort((a, b) => a[1].localeCompare(b[1]));
  const skills = view.skills.filter((s) => view.agents.some((a) => a.skillIds.includes(s.id)));
  const weekMin = week.dayStarts[7]!;
  const pct = (m: number) => `${(100 * Math.max(0, Math.min(weekMin, m))) / weekMin}%`;
  const present = new Set(activities.map((a) => a.kind));
  return (
    <div className="panel" data-testid="gantt-panel">
      <div className="page-head">
        <h2>Agents × week</h2>
        <span className="muted small">
          {rows.length} of {view.agents.length} agents · times in {week.timezone}
        </span>
      </div>
      <form className="inline-form controls" aria-label="Sort and filter agents" onSubmit={(e) => e.preventDefault()}>
        <label>
          Sort by
          <select value={sort} onChange={(e) => setSort(e.target.value as GanttSort)}>
            <option value="start">First start</option>
            <option value="name">Name</option>
            <option value="team">Team</option>
          </select>
        </label>
        <label>
          Team
          <select value={team} onChange={(e) => setTeam(e.target.value)}>
            <option value="">All teams</option>
            {teams.map(([key, name]) => (
              <option key={key} value={key}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Skill
          <select value={skill} onChange={(e) => setSkill(e.target.value)}>
            <option value="">All skills</option>
            {skills.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name || s.id}
              </option>
            ))}
          </select>
        </label>
      </form>
      <div className={styles.legend} aria-label="Activity colours">
        {kindOrder
          .filter((k) => present.has(k) || k === 'work' || k === 'break' || k === 'lunch')
          .map((k) => (
            <span key={k}>
              <i className={styles.swatch} style={{ background: kindColor[k] }} />
              {kindLabel[k]}
            </span>
          ))}
      </div>
      <div className={styles.gantt} data-testid="gantt" data-gantt>
        <div className={styles.ganttGrid}>
          <div className={styles.head} aria-hidden="true">
            <span className={styles.who}>Agent</span>
            <div className={styles.days}>
              {week.dates.map((d) => (
                <span key={d}>{formatDay(d)}</span>
              ))}
            </div>
          </div>
          {rows.map((row, r) => (
            <div key={row.agent.id} className={styles.row} data-testid="gantt-row" data-agent={row.agent.key}>
              <span className={styles.who} title={`${row.agent.name} · ${row.agent.teamName}`}>
                {row.agent.name}
                <small>{row.agent.teamName}</small>
              </span>
              <div className={styles.track}>
                {row.activities.map((a, i) => (
                  <span
                    key={i}
                    className={styles.block}
                    style={{ left: pct(a.start), width: `calc(${pct(a.end)} - ${pct(a.start)})`, background: kindColor[a.kind] }}
                  />
                ))}
                {week.dates.map((date, d) => {
                  const shift = row.days[d];
                  const on = selected?.agentId === row.agent.id && selected.shiftDate === date;
                  return (
                    <button
                      key={date}
                      type="button"
                      className={styles.dayCell}
                      style={{ left: pct(week.dayStarts[d]!), width: `calc(${pct(week.dayStarts[d + 1]!)} - ${pct(week.dayStarts[d]!)})` }}
                      aria-label={`${actionLabel} ${row.agent.name}, ${formatDay(date)}: ${shift ? `${shift.start}–${shift.end}` : 'day off'}`}
                      aria-pressed={on}
                      data-row={r}
                      data-day={d}
                      data-date={date}
                      onKeyDown={moveFocus}
                      onClick={() => onPick(row.agent.id, date)}
                    />
                  );
                })}
              </div>
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
