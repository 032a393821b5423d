export * from './events.ts';
export * from './ingest.ts';
export * from './center.ts';
export * from './center-import.ts';
export * from './examples.ts';
export * from './validate.ts';
export * from './schedule.ts';
export * from './history-import.ts';
export { ssoErrorMessage, ssoErrors, type SsoErrorCode } from './sso.ts';
