import { z } from 'zod';

const Env = z.object({
  SWITCHBOARD_API_KEY: z.string().trim().min(1, 'SWITCHBOARD_API_KEY is set but empty; unset it or give it a tenant API key').optional(),
});

/** The only settings read from the environment; validated once at start-up. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): z.infer<typeof Env> {
  const parsed = Env.safeParse(source);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}
