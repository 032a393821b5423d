export { simulate } from './simulate.ts';
export { demoCenter, demoTraffic, pickDemoTimezone } from './demo-center.ts';
export { getLocalMidnight } from './time.ts';
