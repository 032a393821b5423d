export * from './client.ts';
export * from './migrate.ts';
export * from './event-row.ts';
export * from './tsv.ts';
export * from './repositories/rows.ts';
export * from './repositories/queues.ts';
export * from './repositories/events.ts';
