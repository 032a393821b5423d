import type { IngestErrorCode } from '@switchboard/contracts';

/** An answer other than 2xx, with a machine-readable code and a sentence saying what to do. */
export class IngestHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: IngestErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
