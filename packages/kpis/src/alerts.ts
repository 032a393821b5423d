import type { AlertCondition, AlertMetric } from '@switchboard/contracts';

/**
 * Alert hysteresis, one subject (a queue or a team) of one rule at a time, as a step from one
 * evaluation to the next. A rule breaches when all (or any) of its conditions are past their
 * thresholds, and has recovered when every condition is back past its clear threshold; in
 * between nothing changes, so a figure hovering between the two thresholds neither fires nor
 * clears. A breach must have lasted `fireAfterS` and still hold to fire; a recovery must have
 * lasted `clearAfterS` and still hold to clear.
 */

export interface AlertState {
  /** An incident is open for the subject. */
  firing: boolean;
  /** While not firing: since when (ms) it has breached without recovering since. */
  breachingSince: number | null;
  /** While firing: since when (ms) it has recovered without breaching since. */
  recoveringSince: number | null;
}

export const idleAlertState: AlertState = { firing: false, breachingSince: null, recoveringSince: null };

export interface AlertRuleShape {
  match: 'all' | 'any';
  conditions: readonly AlertCondition[];
  fireAfterS: number;
  clearAfterS: number;
}

/** The subject's live figures; null where there is none (nothing answered yet): such a condition neither breaches nor holds a recovery back. */
export type AlertFigures = Partial<Record<AlertMetric, number | null>>;

type AlertTransition = 'fire' | 'clear' | 'none';

function breaches(c: AlertCondition, value: number | null | undefined): boolean {
  if (value === null || value === undefined) return false;
  return c.comparator === 'below' ? value < c.threshold : value > c.threshold;
}

function recovered(c: AlertCondition, value: number | null | undefined): boolean {
  if (value === null || value === undefined) return true;
  return c.comparator === 'below' ? value >= c.clearThreshold : value <= c.clearThreshold;
}

/** Where the rule stands on these figures: breaching, recovered, or between the thresholds. */
export function judgeAlertRule(rule: Pick<AlertRuleShape, 'match' | 'conditions'>, figures: AlertFigures): 'breach' | 'recovered' | 'between' {
  const past = rule.conditions.map((c) => breaches(c, figures[c.metric]));
  if (rule.match === 'all' ? past.every(Boolean) : past.some(Boolean)) return 'breach';
  return rule.conditions.every((c) => recovered(c, figures[c.metric])) ? 'recovered' : 'between';
}

/** The next state of one rule and subject at `now` (ms), and whether the alert fires or clears here. */
export function stepAlert(previous: AlertState, figures: AlertFigures, rule: AlertRuleShape, now: number): { state: AlertState; transition: AlertTransition } {
  const verdict = judgeAlertRule(rule, figures);
  if (!previous.firing) {
    if (verdict === 'recovered') return { state: idleAlertState, transition: 'none' };
    const since = previous.breachingSince ?? (verdict === 'breach' ? now : null);
    if (since === null) return { state: idleAlertState, transition: 'none' };
    if (verdict === 'breach' && now - since >= rule.fireAfterS * 1000) {
      return { state: { firing: true, breachingSince: null, recoveringSince: null }, transition: 'fire' };
    }
    return { state: { firing: false, breachingSince: since, recoveringSince: null }, transition: 'none' };
  }
  if (verdict === 'breach') return { state: { firing: true, breachingSince: null, recoveringSince: null }, transition: 'none' };
  const since = previous.recoveringSince ?? (verdict === 'recovered' ? now : null);
  if (since === null) return { state: { firing: true, breachingSince: null, recoveringSince: null }, transition: 'none' };
  if (verdict === 'recovered' && now - since >= rule.clearAfterS * 1000) return { state: idleAlertState, transition: 'clear' };
  return { state: { firing: true, breachingSince: null, recoveringSince: since }, transition: 'none' };
}
