import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';

/** A seeded, mutable random stream. Every random draw in the simulator goes through one. */
export type Rng = RandomGenerator;

const TWO_POW_MINUS_32 = 2 ** -32;

/** splitmix32 finaliser: turns correlated inputs (seed, day, index) into well-spread state words. */
function mix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) | 0;
}

const SALTS = [0x1b873593, 0x27d4eb2f, 0x165667b1, 0x7feb352d];

/**
 * A stream derived from a path of integers (seed, day, purpose, index…). Each of the four
 * state words hashes the whole path with its own salt, so distinct paths give unrelated
 * 128-bit states: adding draws to one stream never shifts another.
 */
export function createRng(...path: number[]): Rng {
  const state = SALTS.map((salt) => {
    let h = salt;
    for (const part of path) h = mix32(h ^ mix32((part | 0) ^ salt) ^ Math.imul(mix32(Math.floor(part / 2 ** 32)), 0x9e3779b1));
    return h;
  });
  // xoroshiro must not start from the all-zero state.
  state[0]! |= 1;
  return xoroshiro128plusFromState(state);
}

/**
 * A child stream seeded from four of the parent's draws (one per contact, so its draws
 * never depend on routing). 128 bits of seed keep children of a long run from colliding.
 */
export function forkRng(parent: Rng): Rng {
  return xoroshiro128plusFromState(SALTS.map((salt, i) => mix32(parent.next() ^ salt) | (i === 0 ? 1 : 0)));
}

/** Uniform in (0, 1): never exactly 0, so logarithms are safe. */
export function uniform(rng: Rng): number {
  return ((rng.next() >>> 0) + 0.5) * TWO_POW_MINUS_32;
}

export function chance(rng: Rng, probability: number): boolean {
  return uniform(rng) < probability;
}

/** Integer in [min, max]. */
export function integer(rng: Rng, min: number, max: number): number {
  return min + Math.floor(uniform(rng) * (max - min + 1));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(uniform(rng) * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** Index drawn with probability proportional to its weight. */
export function pickWeighted(rng: Rng, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let u = uniform(rng) * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i] ?? 0;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

export function exponential(rng: Rng, mean: number): number {
  return -Math.log(uniform(rng)) * mean;
}

function standardNormal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(uniform(rng))) * Math.cos(2 * Math.PI * uniform(rng));
}

/** Lognormal parameterised by its median (e^mu) and sigma, the usual way handle times are described. */
export function lognormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * standardNormal(rng));
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(word: number): string {
  return HEX[(word >>> 24) & 0xff]! + HEX[(word >>> 16) & 0xff]! + HEX[(word >>> 8) & 0xff]! + HEX[word & 0xff]!;
}

/** RFC 4122 version-4 UUID from four draws: random-looking, yet reproducible from the seed. */
export function uuid(rng: Rng): string {
  const a = hex32(rng.next());
  const b = hex32(rng.next());
  const c = hex32(rng.next());
  const d = hex32(rng.next());
  const version = '4' + b.slice(5, 8);
  const variant = '89ab'[parseInt(c[0]!, 16) & 3]! + c.slice(1, 4);
  return `${a}-${b.slice(0, 4)}-${version}-${variant}-${c.slice(4)}${d}`;
}
