export * from './staffing.ts';
export * from './break-moves.ts';
export * from './offers.ts';
export * from './apply.ts';
export * from './session-slots.ts';
