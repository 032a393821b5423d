import { ContractRuleError, planWeek, ShiftRuleError, type WeekPlan, type WeekProblem } from '@switchboard/planning';
import { loadSolver } from '@switchboard/planning/solver';

/**
 * A planning group's week in HiGHS: pure, run in a worker thread (a solve blocks its thread for up to the time
 * limit). Rules no week can honour come back as `refused` with the rule named: an error's class does not survive
 * the trip between threads, and the activity must tell them from the pool's own failures.
 */
export async function scheduleWeek(problem: WeekProblem): Promise<{ plan: WeekPlan } | { refused: string }> {
  const highs = await loadSolver();
  try {
    return { plan: planWeek(highs, problem) };
  } catch (error) {
    if (error instanceof ContractRuleError || error instanceof ShiftRuleError) return { refused: error.message };
    throw error;
  }
}
