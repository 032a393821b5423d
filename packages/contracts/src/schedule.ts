/** What an agent can be scheduled to do: the schedule store, the solver and the screens share this list. */
export const activityKinds = ['work', 'break', 'lunch', 'meeting', 'coaching', 'training', 'time_off'] as const;
export type ActivityKind = (typeof activityKinds)[number];
