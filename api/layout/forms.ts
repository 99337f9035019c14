/**
 * How a page's form reaches an operation: the fields as typed (without the CSRF token), checked with the same
 * zod schema the JSON route uses, then the operation; any refusal comes back as messages per field, for the
 * page to show next to each field with what was typed kept.
 */
import type { z } from 'zod';
import { RequestRejected } from '../errors';

export type FieldErrors = Record<string, string>;

export type FormOutcome =
  | { ok: true }
  | {
      ok: false;
      status: number;
      values: Record<string, string>;
      errors: FieldErrors;
      message: string | null;
    };

/** The submitted fields as strings, without `_csrf` (the CSRF plugin checks it; the operation never sees it). */
export function formValues(body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  if (body && typeof body === 'object')
    for (const [key, value] of Object.entries(body))
      if (key !== '_csrf') values[key] = Array.isArray(value) ? String(value[0] ?? '') : String(value ?? '');
  return values;
}

/** The first message of each field, keyed by the field's path (`notice.ordinaryFreeDays`), as forms name them. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join('.');
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [path || 'modulo'];
    for (const key of keys) errors[key] ??= issue.message;
  }
  return errors;
}

/**
 * Parses the form with `schema` (after `prepare`, which turns form strings into the JSON shape when they
 * differ; it also gets the raw body, for fields sent several times such as checkboxes) and runs `operation`.
 * Nothing runs when a field is wrong.
 */
export async function submitForm<S extends z.ZodType>(
  body: unknown,
  schema: S,
  operation: (input: z.infer<S>) => Promise<unknown>,
  prepare: (values: Record<string, string>, body: Record<string, unknown>) => unknown = (values) => values,
): Promise<FormOutcome> {
  const values = formValues(body);
  const parsed = schema.safeParse(prepare(values, (body ?? {}) as Record<string, unknown>));
  if (!parsed.success) {
    return { ok: false, status: 400, values, errors: fieldErrors(parsed.error.issues), message: null };
  }
  try {
    await operation(parsed.data);
    return { ok: true };
  } catch (error) {
    if (!(error instanceof RequestRejected)) throw error;
    const errors = Object.fromEntries(error.fields.map((f) => [f.field, f.message]));
    return { ok: false, status: error.statusCode, values, errors, message: error.message };
  }
}
