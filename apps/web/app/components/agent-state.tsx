/** Agent states in the order and colours every screen uses. */
export const stateOrder = ['available', 'on_interaction', 'wrap_up', 'break', 'lunch', 'training', 'meeting', 'offline'] as const;
export type AgentStateName = (typeof stateOrder)[number];

export const stateLabel: Record<AgentStateName, string> = {
  available: 'Available',
  on_interaction: 'On contact',
  wrap_up: 'Wrap-up',
  break: 'Break',
  lunch: 'Lunch',
  training: 'Training',
  meeting: 'Meeting',
  offline: 'Offline',
};

export const stateColor: Record<AgentStateName, string> = {
  available: '#3fb950',
  on_interaction: '#4cc2ff',
  wrap_up: '#a371f7',
  break: '#d29922',
  lunch: '#e3b341',
  training: '#8b9bab',
  meeting: '#6e7d8c',
  offline: '#3a4652',
};

export function StatePill({ state }: { state: AgentStateName }) {
  return (
    <span className="pill" style={{ borderColor: stateColor[state], color: stateColor[state] }}>
      {stateLabel[state]}
    </span>
  );
}

/** A stacked bar of agents by state, with a text alternative. */
export function StateBar({ counts }: { counts: Partial<Record<AgentStateName, number>> }) {
  const total = stateOrder.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
  const text = stateOrder
    .filter((s) => (counts[s] ?? 0) > 0)
    .map((s) => `${counts[s]} ${stateLabel[s].toLowerCase()}`)
    .join(', ');
  return (
    <div className="statebar" role="img" aria-label={total ? `Agents: ${text}` : 'No agents logged in'} title={text || 'No agents logged in'}>
      {total === 0 ? (
        <span className="statebar-empty" />
      ) : (
        stateOrder.map((s) => (counts[s] ? <span key={s} style={{ flex: counts[s], background: stateColor[s] }} /> : null))
      )}
    </div>
  );
}
