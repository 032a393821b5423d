export { simulate, simulateLive } from './simulate.ts';
export { demoCenter, demoTraffic, pickDemoTimezone } from './demo-center.ts';
export { getLocalMidnight } from './time.ts';
export { ScheduleBook, type ScheduleActivity } from './schedule.ts';
