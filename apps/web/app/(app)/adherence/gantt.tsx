'use client';

import { stateColor, stateLabel, stateOrder, type AgentStateName } from '../../components/agent-state';
import { formatPercent } from '../../lib/format';
import { kindColor, kindLabel, kindOrder } from '../planning/schedules/activity-kinds';
import { formatClock } from '../planning/schedules/prepare';
import { prepareGantt, reasonLabel, type Gantt } from './prepare';
import styles from './adherence.module.css';

const ROW = 14;
/** Up to this many hours on the axis each is labelled; beyond, every other one. */
const HOURS_LABELLED = 14;
const HEIGHT = 2 * ROW + 10;

/**
 * The day per agent: the schedule on the upper row, what they did on the lower one, a red
 * mark under the minutes out of adherence, exceptions shaded across both (approved solid,
 * pending outlined) and a line at now. Each agent's name opens their minutes.
 */
export function AdherenceGantt({ gantt, onAgent }: { gantt: Gantt; onAgent: (agentKey: string, shiftDate: string) => void }) {
  const model = prepareGantt(gantt);
  const clock = (iso: string) => formatClock(iso, gantt.timezone);
  const states = new Set(model.rows.flatMap((r) => r.actual.map((a) => a.state)));
  return (
    <div className="panel" data-testid="adherence-gantt">
      <div className="page-head">
        <h2>Scheduled and actual, {gantt.date}</h2>
        <span className="muted small">
          {model.rows.length} agents · times in {gantt.timezone} · grace {gantt.graceMinutes} min
        </span>
      </div>
      <div className={styles.legend} aria-label="Colours">
        {kindOrder.map((k) => (
          <span key={k}>
            <i className={styles.swatch} style={{ background: kindColor[k] }} />
            {kindLabel[k]}
          </span>
        ))}
        {stateOrder
          .filter((s) => states.has(s))
          .map((s) => (
            <span key={s}>
              <i className={styles.swatch} style={{ background: stateColor[s], borderRadius: 6 }} />
              {stateLabel[s]}
            </span>
          ))}
        <span>
          <i className={styles.swatch} style={{ background: '#f85149', height: 4 }} />
          Out of adherence
        </span>
        <span>
          <i className={styles.swatch} style={{ background: 'rgba(76, 194, 255, 0.3)', border: '1px solid #4cc2ff' }} />
          Exception
        </span>
      </div>
      <div className={styles.gantt}>
        <div className={styles.ganttGrid}>
          <div className={styles.ganttHead} aria-hidden="true">
            <span className={styles.who}>Agent · adherence</span>
            <div className={styles.axis}>
              {model.hours
                .filter((_, i) => model.hours.length <= HOURS_LABELLED || i % 2 === 0)
                .map((h) => (
                  <span key={h.left} style={{ left: `${h.left}%` }}>
                    {h.label}
                  </span>
                ))}
            </div>
          </div>
          {model.rows.map((row) => (
            <div key={row.key} className={styles.ganttRow} data-testid="gantt-agent" data-agent={row.key}>
              <span className={styles.who}>
                <button
                  type="button"
                  className="link"
                  onClick={() => onAgent(row.key, row.shiftDate)}
                  aria-label={`Minutes of ${row.name}, shift of ${row.shiftDate}`}
                >
                  {row.name}
                </button>
                <small>
                  {row.teamName} · {formatPercent(row.adherence)}
                </small>
              </span>
              <div className={styles.track}>
                <svg
                  viewBox={`0 0 100 ${HEIGHT}`}
                  preserveAspectRatio="none"
                  height={HEIGHT}
                  role="img"
                  aria-label={`${row.name}: scheduled ${row.scheduled.map((a) => `${kindLabel[a.kind]} ${clock(a.start)}–${clock(a.end)}`).join(', ') || 'nothing'}; ${
                    row.out.length
                  } stretches out of adherence`}
                >
                  {model.hours.map((h) => (
                    <line key={h.left} x1={h.left} x2={h.left} y1={0} y2={HEIGHT} stroke="#263442" strokeWidth={1} vectorEffect="non-scaling-stroke" />
                  ))}
                  {row.exceptions.map((e, i) => (
                    <rect
                      key={`e${i}`}
                      x={e.left}
                      width={e.width}
                      y={1}
                      height={2 * ROW + 2}
                      fill={e.status === 'approved' ? 'rgba(76, 194, 255, 0.3)' : 'none'}
                      stroke="#4cc2ff"
                      strokeWidth={1}
                      vectorEffect="non-scaling-stroke"
                      strokeDasharray={e.status === 'approved' ? undefined : '3 2'}
                    >
                      <title>{`${reasonLabel[e.reason] ?? e.reason} (${e.status})`}</title>
                    </rect>
                  ))}
                  {row.scheduled.map((a, i) => (
                    <rect key={`s${i}`} x={a.left} width={a.width} y={2} height={ROW - 2} fill={kindColor[a.kind]}>
                      <title>{`Scheduled: ${kindLabel[a.kind]} ${clock(a.start)}–${clock(a.end)}`}</title>
                    </rect>
                  ))}
                  {row.actual.map((s, i) => (
                    <rect
                      key={`a${i}`}
                      x={s.left}
                      width={s.width}
                      y={ROW + 2}
                      height={ROW - 2}
                      fill={stateColor[s.state as AgentStateName]}
                      opacity={s.state === 'offline' ? 0.4 : 1}
                    >
                      <title>{`Actual: ${stateLabel[s.state as AgentStateName]} ${clock(s.start)}–${clock(s.end)}`}</title>
                    </rect>
                  ))}
                  {row.out.map((o, i) => (
                    <rect key={`o${i}`} x={o.left} width={Math.max(o.width, 0.1)} y={2 * ROW + 2} height={3} fill="#f85149" />
                  ))}
                  {model.now !== null && (
                    <line
                      x1={model.now}
                      x2={model.now}
                      y1={0}
                      y2={HEIGHT}
                      stroke="#e6edf3"
                      strokeWidth={2}
                      vectorEffect="non-scaling-stroke"
                      data-testid="now-line"
                    />
                  )}
                </svg>
              </div>
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
