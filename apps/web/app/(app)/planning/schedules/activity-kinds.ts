import type { ViewActivity } from './prepare';

type ActivityKind = ViewActivity['kind'];

/** Activity kinds in legend order, with the colours and words every schedule screen uses. */
export const kindColor: Record<ActivityKind, string> = {
  work: '#3fb950',
  break: '#d29922',
  lunch: '#e3b341',
  meeting: '#6e7d8c',
  coaching: '#a371f7',
  training: '#8b9bab',
  time_off: '#4cc2ff',
};

export const kindLabel: Record<ActivityKind, string> = {
  work: 'Work',
  break: 'Break',
  lunch: 'Lunch',
  meeting: 'Meeting',
  coaching: 'Coaching',
  training: 'Training',
  time_off: 'Time off',
};

export const kindOrder = Object.keys(kindLabel) as ActivityKind[];
