// Entry of the math pool's worker threads. A worker thread does not inherit the parent's
// TypeScript loader, so it registers tsx itself before loading the math (piscina calls the
// exports by name).
import { register } from 'tsx/esm/api';

register();
const { forecastQueue } = await import('./forecast-queue.ts');
const { staffQueue } = await import('./staff-queue.ts');
const { scheduleWeek } = await import('./schedule-week.ts');
const { scoreBatch } = await import('./score-batch.ts');
const { moveBreaks } = await import('./move-breaks.ts');

export { forecastQueue, staffQueue, scheduleWeek, scoreBatch, moveBreaks };
