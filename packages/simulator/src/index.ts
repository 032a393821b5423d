export { simulate, type SimulateOptions } from './simulate.ts';
export { demoCenter, demoTimezones, demoTraffic, pickDemoTimezone } from './demo-center.ts';
export {
  createTraffic,
  checkTraffic,
  defaultDayFactors,
  type TrafficConfig,
  type TrafficOverrides,
  type QueueTraffic,
  type IntentTraffic,
  type DurationModel,
} from './traffic.ts';
export { getExpectedArrivals, getDayProfile, type ExpectedArrivalsOptions } from './arrivals.ts';
export { getLocalDay, getLocalMidnight } from './time.ts';
