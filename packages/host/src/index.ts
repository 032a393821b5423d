export * from './env.ts';
export * from './lock.ts';
export * from './host.ts';
export * from './status.ts';
export * from './operator.ts';
export * from './provisioning.ts';
export * from './operator-client.ts';
export type { ImportedQueue } from './history-import.ts';
export { startMailSender, type MailSender } from './mail-sender.ts';
