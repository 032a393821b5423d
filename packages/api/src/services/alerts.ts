import type { AlertRule } from '@switchboard/db';

export type AlertMetric = AlertRule['metric'];

export interface FiredAlert {
  ruleId: string;
  queueKey: string;
  metric: AlertMetric;
  severity: AlertRule['severity'];
  comparator: AlertRule['comparator'];
  threshold: number;
  value: number;
}

/**
 * Fires every rule that applies to the queue (its own and the all-queue ones) whose
 * metric is past the threshold. A metric with no value (nothing happened) never fires.
 */
export function evaluateAlertRules(rules: readonly AlertRule[], queue: { id: string; key: string }, values: Record<AlertMetric, number | null>): FiredAlert[] {
  const fired: FiredAlert[] = [];
  for (const rule of rules) {
    if (rule.queueId !== null && rule.queueId !== queue.id) continue;
    const value = values[rule.metric];
    if (value === null) continue;
    const past = rule.comparator === 'below' ? value < rule.threshold : value > rule.threshold;
    if (!past) continue;
    fired.push({
      ruleId: rule.id,
      queueKey: queue.key,
      metric: rule.metric,
      severity: rule.severity,
      comparator: rule.comparator,
      threshold: rule.threshold,
      value,
    });
  }
  const rank = { critical: 0, warning: 1 } as const;
  return fired.sort((a, b) => rank[a.severity] - rank[b.severity]);
}
