export * from './catalogue.ts';
export * from './accuracy.ts';
