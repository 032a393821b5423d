export * from './coverage.ts';
export * from './requirements.ts';
export * from './shifts.ts';
export * from './assign.ts';
export * from './week.ts';
export * from './inputs.ts';
