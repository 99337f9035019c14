/**
 * Requests for the fuzzer, generated from the OpenAPI document alone: a route added tomorrow is fuzzed
 * without anyone writing a generator for it. Each value is either plausible (drawn from the parameter's
 * own schema, often valid, to get past validation into the handler) or hostile (wrong types, boundary
 * numbers, huge and odd unicode strings, prototype keys, SQL and HTML fragments); bodies also come as
 * broken JSON, the wrong content type or truncated multipart.
 */
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

export interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body: JsonSchema | null;
}

export interface FuzzRequest {
  method: string;
  url: string;
  actor: 'anonymous' | 'coordinator';
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** What was sent, for the report of a failure. */
  description: string;
}

export const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\uD800',
  '\u202Egnp.exe',
  'Ä̴͉̓Z̷̢͉a̵̧̰l̸̛̞g̴̣͑o̶͖̓',
  '🙂'.repeat(500),
  'x'.repeat(70_000),
  "' OR '1'='1' --",
  '"; DROP TABLE "Meeting"; --',
  '1; SELECT pg_sleep(30)',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '{{constructor.constructor("return process")()}}',
  '../../../../etc/passwd',
  '%00%2e%2e%2f',
  '__proto__',
  'constructor',
  'NaN',
  '-Infinity',
  '1e309',
  '-1',
  '9007199254740993',
  '2027-02-30',
  '0000-00-00',
  '9999-12-31T23:59:59+14:00',
  '2027-13-01T25:61:00Z',
  '00000000-0000-0000-0000-000000000000',
  'null',
  'true',
];

const deep = (depth: number): unknown => (depth === 0 ? 'fondo' : { a: deep(depth - 1) });

const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  -0,
  2 ** 53,
  -(2 ** 31),
  1e308,
  [],
  {},
  [null],
  { __proto__: null, constructor: { prototype: { polluted: true } } },
  deep(60),
  Array.from({ length: 2_000 }, (_, i) => i),
];

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(...HOSTILE_VALUES),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
);

function plausibleString(schema: JsonSchema, ids: string[]): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return ids.length ? fc.oneof(fc.constantFrom(...ids), fc.uuid()) : fc.uuid();
  if (schema.format === 'date-time')
    return fc
      .date({ min: new Date('2026-01-01'), max: new Date('2029-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString());
  if (schema.format === 'date')
    return fc
      .date({ min: new Date('2026-01-01'), max: new Date('2029-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
  if (schema.format === 'uri' || schema.format === 'url') return fc.webUrl();
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern));
    } catch {
      // A pattern JavaScript cannot compile: fall through to plain strings.
    }
  }
  return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 300) });
}

/** A value the schema would accept, most of the time. */
function plausible(schema: JsonSchema | undefined, ids: string[], depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return fc.constant('valore');
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const variants = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (variants?.length) return fc.oneof(...variants.map((v) => plausible(v, ids, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'string':
      return plausibleString(schema, ids);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? 3000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -10, max: schema.maximum ?? 3000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(value(schema.items, ids, depth + 1), {
        minLength: Math.min(schema.minItems ?? 0, 3),
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case 'object':
    default:
      return object(schema, ids, depth);
  }
}

/** Mostly plausible, sometimes hostile: enough valid input to reach the handlers, enough junk to break them. */
export function value(schema: JsonSchema | undefined, ids: string[], depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: plausible(schema, ids, depth), weight: 4 }, { arbitrary: hostile, weight: 1 });
}

function object(schema: JsonSchema, ids: string[], depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const record = fc.record(
    Object.fromEntries(
      Object.entries(properties).map(([key, property]) => [key, value(property, ids, depth + 1)]),
    ),
    { requiredKeys: (schema.required ?? []).filter((key) => key in properties) },
  );
  // Sometimes a key nobody expects, among them the ones that pollute prototypes.
  return fc
    .tuple(record, fc.option(fc.constantFrom('__proto__', 'constructor', 'inatteso', 'prototype')))
    .map(([fields, extra]) => (extra ? { ...fields, [extra]: { polluted: true } } : fields));
}

/** JSON text, with `__proto__` as an own key when the object has one (JSON.stringify would drop it). */
function json(body: unknown): string {
  if (body && typeof body === 'object' && !Array.isArray(body) && Object.hasOwn(body, '__proto__')) {
    const rest = JSON.stringify({ ...body, __proto__: undefined });
    return `{"__proto__":{"polluted":true}${rest === '{}' ? '}' : `,${rest.slice(1)}`}`;
  }
  return JSON.stringify(body) ?? 'null';
}

const BOUNDARY = 'fuzzconfine';

/** Bodies that are not what the route reads: wrong types, broken JSON, truncated multipart. */
export const brokenBody: fc.Arbitrary<{
  contentType: string | null;
  payload: string | Buffer;
  what: string;
}> = fc.oneof(
  fc.constantFrom(
    { contentType: 'application/json', payload: '{"a":', what: 'JSON troncato' },
    { contentType: 'application/json', payload: '', what: 'JSON vuoto' },
    {
      contentType: 'application/json',
      payload: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
      what: 'JSON annidato',
    },
    { contentType: 'application/json', payload: '{"__proto__":{"admin":true}}', what: '__proto__' },
    {
      contentType: 'application/json',
      payload: '{"constructor":{"prototype":{"a":1}}}',
      what: 'constructor',
    },
    { contentType: 'application/json; charset=utf-16', payload: '{}', what: 'charset strano' },
    { contentType: 'text/plain', payload: 'ciao', what: 'testo' },
    { contentType: 'application/xml', payload: '<a/>', what: 'xml' },
    { contentType: 'application/x-www-form-urlencoded', payload: 'a=1&__proto__[x]=1', what: 'form' },
    { contentType: null, payload: '{}', what: 'senza content-type' },
    {
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      payload: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="v.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`,
      what: 'multipart troncato',
    },
    {
      contentType: 'multipart/form-data',
      payload: `--${BOUNDARY}\r\n\r\n`,
      what: 'multipart senza boundary',
    },
    {
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      payload: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="../../x.pdf"\r\n\r\nnon un pdf\r\n--${BOUNDARY}--\r\n`,
      what: 'multipart con file falso',
    },
  ),
  hostile.map((v) => ({ contentType: 'application/json', payload: json(v), what: 'JSON ostile' })),
);

/** Headers a client may send wrong; they come on top of the actor's own. */
const oddHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    accept: fc.constantFrom('text/html', '*/*', 'application/xml', 'application/json;q=0', 'ç'),
    authorization: fc.constantFrom(
      'Bearer ',
      'Bearer x',
      `Bearer ${'a'.repeat(5000)}`,
      'Basic Og==',
      'Bearer \u00ff',
    ),
    cookie: fc.constantFrom('sessione=falsa', 'sessione=', 'sessione=%00', '_csrf=x; sessione=a.b'),
    'x-forwarded-for': fc.constantFrom('1.2.3.4, 999.1.1.1', '::1', 'ciao'),
    'if-none-match': fc.constantFrom('*', '"x"'),
  },
  { requiredKeys: [] },
);

/** A lone surrogate cannot be percent-encoded; UTF-8 round-tripping turns it into U+FFFD. */
const wellFormed = (text: string) => Buffer.from(text, 'utf8').toString('utf8');

/** Path segments sent as they are: broken percent-encoding reaches the router, not our encoder. */
export const RAW_SEGMENTS = ['%', '%E0%A4%A', '%zz', '..%2f..%2f', '%C0%AE'];

function pathWith(operation: Operation, values: Record<string, string>): string {
  return operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const raw = values[name] ?? '';
    return RAW_SEGMENTS.includes(raw) ? raw : encodeURIComponent(wellFormed(raw));
  });
}

function queryString(values: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, v] of Object.entries(values)) {
    if (v === undefined) continue;
    search.append(key, wellFormed(typeof v === 'string' ? v : json(v)));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Requests for one operation. `ids` are real identifiers from the database, so some requests go deep. */
export function requestsFor(operation: Operation, ids: string[]): fc.Arbitrary<FuzzRequest> {
  const pathParams = operation.parameters.filter((p) => p.in === 'path');
  const queryParams = operation.parameters.filter((p) => p.in === 'query');
  const pathValues = fc.record(
    Object.fromEntries(
      pathParams.map((p) => [
        p.name,
        fc.oneof(
          { arbitrary: ids.length ? fc.constantFrom(...ids) : fc.uuid(), weight: 3 },
          { arbitrary: fc.uuid(), weight: 1 },
          { arbitrary: fc.constantFrom(...HOSTILE_STRINGS, ...RAW_SEGMENTS), weight: 1 },
        ),
      ]),
    ),
  );
  const queryValues = fc.record(Object.fromEntries(queryParams.map((p) => [p.name, value(p.schema, ids)])), {
    requiredKeys: [],
  });
  const unexpectedQuery = fc.option(fc.constantFrom('__proto__', 'constructor', 'inatteso'), { freq: 4 });
  const bodyless = operation.method === 'GET' || operation.method === 'DELETE';
  const body = bodyless
    ? fc.constant(null)
    : fc.oneof(
        {
          arbitrary: (operation.body ? value(operation.body, ids) : hostile).map((v) => ({
            contentType: 'application/json' as string | null,
            payload: json(v) as string | Buffer,
            what: 'JSON',
          })),
          weight: 3,
        },
        { arbitrary: brokenBody, weight: 1 },
      );
  return fc
    .record({
      actor: fc.constantFrom('anonymous' as const, 'coordinator' as const),
      path: pathValues,
      query: queryValues,
      unexpected: unexpectedQuery,
      body,
      headers: fc.option(oddHeaders, { freq: 3 }),
    })
    .map(({ actor, path, query, unexpected, body: sent, headers }) => {
      const search = queryString(query);
      const url =
        pathWith(operation, path as Record<string, string>) +
        (unexpected ? `${search ? `${search}&` : '?'}${unexpected}=inquinato` : search);
      const extra = { ...(headers ?? {}) };
      if (actor === 'coordinator') delete extra.authorization;
      return {
        method: operation.method,
        url,
        actor,
        headers: { ...extra, ...(sent?.contentType ? { 'content-type': sent.contentType } : {}) },
        ...(sent ? { payload: sent.payload } : {}),
        description: `${operation.method} ${url.slice(0, 200)} come ${actor}, corpo: ${sent?.what ?? 'nessuno'} ${
          sent ? String(sent.payload).slice(0, 200) : ''
        }, intestazioni: ${JSON.stringify(extra).slice(0, 200)}`,
      };
    });
}

/** The operations of the document, with their parameters and JSON body schema. */
export function operationsOf(document: {
  paths: Record<
    string,
    Record<
      string,
      { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }
    >
  >;
}): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      parameters: operation.parameters ?? [],
      body: operation.requestBody?.content?.['application/json']?.schema ?? null,
    })),
  );
}
