export * from './catalogue.ts';
export * from './accuracy.ts';
export * from './adherence.ts';
export * from './alerts.ts';
export * from './coaching-effect.ts';
export * from './coaching-rules.ts';
export * from './random.ts';
