/**
 * What to tell a person about a failed request: the API's validation messages (without the
 * raw JSON tRPC carries them in) when it refused the input, else the error's message.
 */
export function describeError(error: { message: string; data?: unknown }): string {
  const issues = (error.data as { issues?: { message: string }[] } | null | undefined)?.issues;
  return issues && issues.length > 0 ? issues.map((i) => i.message).join('; ') : error.message;
}
