export * from './errors.ts';
export * from './body.ts';
export * from './parse.ts';
export * from './redact.ts';
export * from './idempotency.ts';
export * from './live-rate.ts';
export * from './writer.ts';
export * from './service.ts';
