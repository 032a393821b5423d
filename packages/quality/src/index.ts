export * from './form.ts';
export * from './rules.ts';
export * from './transcript.ts';
export * from './phrases.ts';
export * from './agreement.ts';
export { standardForm } from './standard-form.ts';
export * from './calibration.ts';
export { nextNudgeAt, nudgesFor, type LiveInteraction } from './nudges.ts';
export * from './tips.ts';
