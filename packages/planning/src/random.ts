// The seeded generators live with the KPI catalogue (the coaching effect's bootstrap draws from them); planning's
// benches, tests and synthetic centres keep importing them from here.
export { createSeededRandom, drawNormal, drawPoisson } from '@switchboard/kpis';
