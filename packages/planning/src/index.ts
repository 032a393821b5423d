// Workforce planning math: pure functions, no I/O.
export * from './forecast/index.ts';
export * from './staffing/staffing.ts';
export * from './staffing/reference.ts';
export * from './random.ts';
export * from './schedule/index.ts';
export * from './intraday/index.ts';
