import { planBreakMoves } from '@switchboard/planning';
import { loadSolver } from '@switchboard/planning/solver';

/** The intraday break and lunch moves in HiGHS: pure, run in a worker thread so the solve never blocks the host's event loop. */
export async function moveBreaks(input: Parameters<typeof planBreakMoves>[1]): Promise<ReturnType<typeof planBreakMoves>> {
  return planBreakMoves(await loadSolver(), input);
}
