import { describeError } from '../lib/errors';

/** A form's last error (announced as an alert) and its last success notice (a status), each shown only when there is one. */
export function Outcome({ error, notice = null }: { error: Parameters<typeof describeError>[0] | null | undefined; notice?: string | null }) {
  return (
    <>
      {error && (
        <p className="error" role="alert">
          {describeError(error)}
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
    </>
  );
}
