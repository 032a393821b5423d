/**
 * Whether any string (or key) of a request's input holds U+0000, which Postgres text cannot store: the tRPC procedures
 * and better-auth's endpoints refuse it as input rather than failing in the store with a 500. Iterative, so a deeply
 * nested input cannot exhaust the stack.
 */
export function holdsNul(input: unknown): boolean {
  const pending = [input];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return true;
    } else if (Array.isArray(value)) {
      for (const item of value as unknown[]) pending.push(item);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key.includes('\u0000')) return true;
        pending.push(inner);
      }
    }
  }
  return false;
}

export const NUL_REFUSAL = 'text may not contain the NUL character (U+0000)';
