/**
 * Telling a store that refuses some data from a store that is unavailable. An insert or a
 * rollup statement that fails because of what the rows hold (a constraint, a value the
 * column cannot take) fails again however often it is retried, while its neighbours would
 * go through: those rows are isolated and set aside. Anything else (a full disk, a lost
 * connection, a timeout) fails every write alike and is waited out instead.
 */

/** ClickHouse's names of the errors a row's values cause. */
const DATA_ERRORS =
  /^(VIOLATED_CONSTRAINT|CANNOT_PARSE_\w+|TYPE_MISMATCH|VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE|ARGUMENT_OUT_OF_BOUND|DECIMAL_OVERFLOW|TOO_LARGE_STRING_SIZE|TOO_LARGE_ARRAY_SIZE|SIZES_OF_ARRAYS_DONT_MATCH|INCORRECT_DATA|CANNOT_CONVERT_TYPE|FUNCTION_THROW_IF_VALUE_IS_NON_ZERO|CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN|UNKNOWN_ELEMENT_IN_ENUM|ILLEGAL_DIVISION)$/;

/** Why the store refused a row, in words free of the row's values (its messages quote them). */
export interface StoreRefusal {
  /** ClickHouse's error name, e.g. VIOLATED_CONSTRAINT. */
  code: string;
  message: string;
}

/**
 * The refusal an error is, or undefined when it is not one (the store is unavailable).
 * The server client gives the error's name in `type`; chDB only in the message text:
 * `Code: 469. DB::Exception: …. (VIOLATED_CONSTRAINT)`, with or without ` (version …)` after.
 */
export function storeRefusal(error: unknown): StoreRefusal | undefined {
  if (!(error instanceof Error)) return undefined;
  const typed = (error as { type?: unknown }).type;
  const named = typeof typed === 'string' ? [typed] : [...error.message.matchAll(/\(([A-Z][A-Z0-9_]+)\)/g)].map((m) => m[1]!);
  const code = named.find((name) => DATA_ERRORS.test(name));
  if (!code) return undefined;
  const constraint = /Constraint `([^`]{1,100})`/.exec(error.message)?.[1];
  return { code, message: constraint ? `${code}: constraint ${constraint}` : code };
}
