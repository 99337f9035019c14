/**
 * The pages' forms as a browser with JavaScript off sees them, and requests that send them back changed.
 * `crawl` follows the links of the pages a person may open and reads every form on them (action, method,
 * encoding, fields with the values the page put there, submit buttons); `formRequests` sends a form as it
 * is, with hostile values in some fields, without a field, with keys nobody expects, on another record, or
 * as a body the route cannot read. A form added tomorrow is fuzzed as soon as a page links to it.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { Parser } from 'htmlparser2';
import { multipartForm } from '../../support/multipart';
import { brokenBody, HOSTILE_STRINGS, RAW_SEGMENTS } from './requests';

interface Field {
  name: string;
  /** The values a person could send: the one the page put there, each option of a select or radio group. */
  values: string[];
  /** A checkbox left unticked is not sent at all. */
  optional: boolean;
  file: boolean;
}

export interface Form {
  /** The page it was found on. */
  page: string;
  method: 'GET' | 'POST';
  action: string;
  multipart: boolean;
  fields: Field[];
  /** Submit buttons with a name: a form with several sends one of them. */
  buttons: { name: string; value: string }[];
}

export interface PageRequest {
  method: string;
  url: string;
  contentType: string | null;
  payload?: string | Buffer;
  /** Strings sent that a page must never show unescaped. */
  markup: string[];
  description: string;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const HAS_UUID = new RegExp(UUID.source, 'i');
/** Links that are not pages: the JSON API, the static files (api/layout), downloads. */
const NOT_A_PAGE =
  /^\/(api|bootstrap-italia|risorse)\/|\.(css|js|svg|png|ico|ics|pdf|csv|xlsx|docx|woff2?)(\?|$)/;

/** One URL per shape (ids and query values aside), so the crawl sees every kind of page without all of them. */
const shapeOf = (url: string) => {
  const [path, query] = url.split('?');
  const keys = new URLSearchParams(query ?? '').keys();
  return `${path!.replace(UUID, ':id')}?${[...keys].sort().join('&')}`;
};

/** The forms and links of one page. */
function readPage(html: string, page: string): { links: string[]; forms: Form[] } {
  const links: string[] = [];
  const forms: Form[] = [];
  let form: Form | null = null;
  let select: Field | null = null;
  let textarea: { field: Field; text: string } | null = null;
  const fieldNamed = (name: string, extra: Partial<Field> = {}): Field => {
    const existing = form!.fields.find((f) => f.name === name);
    if (existing) return existing;
    const field = { name, values: [], optional: false, file: false, ...extra };
    form!.fields.push(field);
    return field;
  };
  const parser = new Parser(
    {
      onopentag(tag, attrs) {
        if (tag === 'a' && attrs.href?.startsWith('/')) links.push(attrs.href.split('#')[0]!);
        if (tag === 'form') {
          const method = (attrs.method ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET';
          form = {
            page,
            method,
            action: (attrs.action || page).split('#')[0]!,
            multipart: attrs.enctype === 'multipart/form-data',
            fields: [],
            buttons: [],
          };
          forms.push(form);
        }
        if (tag === 'option' && select) select.values.push(attrs.value ?? '');
        if (!form || !attrs.name || attrs.disabled !== undefined) return;
        if (tag === 'input') {
          const type = (attrs.type ?? 'text').toLowerCase();
          if (type === 'submit') form.buttons.push({ name: attrs.name, value: attrs.value ?? '' });
          else if (type === 'file') fieldNamed(attrs.name, { file: true });
          else {
            const field = fieldNamed(attrs.name, { optional: type === 'checkbox' });
            field.values.push(attrs.value ?? (type === 'checkbox' || type === 'radio' ? 'on' : ''));
          }
        } else if (tag === 'button' && (attrs.type ?? 'submit') === 'submit') {
          form.buttons.push({ name: attrs.name, value: attrs.value ?? '' });
        } else if (tag === 'select') select = fieldNamed(attrs.name);
        else if (tag === 'textarea') textarea = { field: fieldNamed(attrs.name), text: '' };
      },
      ontext(text) {
        if (textarea) textarea.text += text;
      },
      onclosetag(tag) {
        if (tag === 'form') form = null;
        if (tag === 'select') select = null;
        if (tag === 'textarea' && textarea) {
          textarea.field.values.push(textarea.text);
          textarea = null;
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return { links, forms };
}

/**
 * The forms of every page reachable by links from `start` (at most `maxPages` pages, one per shape), as the
 * person whose `headers` are given sees them. Cookies the pages set are kept, as a browser keeps them, and
 * returned as the `cookie` header to send the forms with (the sign-in forms check a CSRF cookie). A link that
 * answers 5xx is a finding like any other: it is returned in `serverErrors`, not skipped.
 */
export async function crawl(
  app: FastifyInstance,
  headers: Record<string, string>,
  start: string[],
  maxPages: number,
): Promise<{ pages: string[]; forms: Form[]; cookie: string; serverErrors: string[] }> {
  const jar = new Map<string, string>();
  const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  const queue = [...start];
  const seen = new Set<string>();
  const pages: string[] = [];
  const forms: Form[] = [];
  const serverErrors: string[] = [];
  while (queue.length > 0 && pages.length < maxPages) {
    const url = queue.shift()!;
    if (NOT_A_PAGE.test(url) || seen.has(shapeOf(url))) continue;
    seen.add(shapeOf(url));
    const response = await app.inject({
      method: 'GET',
      url,
      headers: { ...headers, accept: 'text/html', ...(jar.size ? { cookie: cookie() } : {}) },
    });
    for (const set of response.cookies) jar.set(set.name, set.value);
    if (response.statusCode >= 500) serverErrors.push(`GET ${url} -> ${response.statusCode}`);
    if (response.statusCode !== 200 || !String(response.headers['content-type']).includes('text/html'))
      continue;
    pages.push(url);
    const found = readPage(response.body, url);
    queue.push(...found.links);
    forms.push(...found.forms);
  }
  const kinds = new Set<string>();
  const distinct = forms.filter((form) => {
    const kind = `${form.method} ${shapeOf(form.action)} ${form.fields.map((f) => f.name).join(',')}`;
    if (kinds.has(kind)) return false;
    kinds.add(kind);
    return true;
  });
  return { pages, forms: distinct, cookie: cookie(), serverErrors };
}

/** Files a person might pick by mistake, or on purpose. */
const FILES: { name: string; content: Buffer }[] = [
  { name: 'verbale.pdf', content: Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n') },
  {
    name: 'persone.csv',
    content: Buffer.from('\uFEFFPersona;E-mail;Comune\r\nMario Rossi;m@example.org;Crema\r\n'),
  },
  { name: 'vuoto.pdf', content: Buffer.alloc(0) },
  { name: '../../etc/passwd', content: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0x00, 0x13]) },
];

const hostileValue = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 3 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
  { arbitrary: fc.constantFrom('0', '-1', '99999', '2027-02-30', '25:61', '1,5', ' 2027-03-01 '), weight: 1 },
);

type Change =
  | { kind: 'com’è' }
  | { kind: 'valori ostili'; fields: { index: number; value: string }[] }
  | { kind: 'campo mancante'; index: number }
  | { kind: 'chiavi inattese'; keys: [string, string][] }
  | { kind: 'altro record'; id: string }
  | {
      kind: 'corpo illeggibile';
      body: { contentType: string | null; payload: string | Buffer; what: string };
    };

function changes(form: Form): fc.Arbitrary<Change> {
  const count = Math.max(1, form.fields.length);
  const otherRecord = fc
    .oneof(fc.uuid(), fc.constantFrom(...RAW_SEGMENTS, 'x'.repeat(300), '%00'))
    .map((id) => ({ kind: 'altro record' as const, id }));
  return fc.oneof(
    ...(HAS_UUID.test(form.action) ? [{ arbitrary: otherRecord, weight: 1 }] : []),
    { arbitrary: fc.constant({ kind: 'com’è' as const }), weight: 1 },
    {
      arbitrary: fc
        .array(fc.record({ index: fc.nat(count - 1), value: hostileValue }), { minLength: 1, maxLength: 3 })
        .map((fields) => ({ kind: 'valori ostili' as const, fields })),
      weight: 5,
    },
    { arbitrary: fc.nat(count - 1).map((index) => ({ kind: 'campo mancante' as const, index })), weight: 1 },
    {
      arbitrary: fc
        .array(
          fc.constantFrom<[string, string]>(
            ['__proto__[polluted]', '1'],
            ['constructor[prototype][polluted]', '1'],
            ['inatteso', 'x'],
            [form.fields[0]?.name ?? 'campo', 'secondo valore'],
            ['_csrf', 'falso'],
          ),
          { minLength: 1, maxLength: 3 },
        )
        .map((keys) => ({ kind: 'chiavi inattese' as const, keys })),
      weight: 1,
    },
    { arbitrary: brokenBody.map((body) => ({ kind: 'corpo illeggibile' as const, body })), weight: 1 },
  );
}

/** The request a browser would send for `form`, after `change`; `pick` chooses among a field's values. */
function request(form: Form, change: Change, pick: number, file: number): PageRequest {
  const entries: [string, string][] = [];
  const markup: string[] = [];
  form.fields.forEach((field, index) => {
    if (field.file) return;
    if (change.kind === 'campo mancante' && change.index === index) return;
    const hostile =
      change.kind === 'valori ostili' ? change.fields.find((f) => f.index === index) : undefined;
    if (hostile) {
      entries.push([field.name, hostile.value]);
      // The hostile strings that are markup carry a script; a page's own markup never does.
      if (hostile.value.includes('alert(1)')) markup.push(hostile.value);
    } else if (field.values.length > 0 && !(field.optional && pick % 2 === 1)) {
      entries.push([field.name, field.values[pick % field.values.length]!]);
    }
  });
  if (form.buttons.length > 0) {
    const button = form.buttons[pick % form.buttons.length]!;
    entries.push([button.name, button.value]);
  }
  if (change.kind === 'chiavi inattese') entries.push(...change.keys);
  const action =
    change.kind === 'altro record'
      ? form.action.replace(UUID, () => encodeURIComponent(change.id))
      : form.action;
  const what = `${form.method} ${action.slice(0, 160)} (modulo di ${form.page}), ${change.kind}`;
  if (form.method === 'GET') {
    const query = new URLSearchParams(entries).toString();
    return {
      method: 'GET',
      url: `${action.split('?')[0]}?${query}`,
      contentType: null,
      markup,
      description: `${what}: ${query.slice(0, 300)}`,
    };
  }
  if (change.kind === 'corpo illeggibile') {
    const { contentType, payload, what: body } = change.body;
    return { method: 'POST', url: action, contentType, payload, markup, description: `${what}: ${body}` };
  }
  const fileField = form.fields.find((f) => f.file);
  if (form.multipart) {
    const chosen = FILES[file % FILES.length]!;
    const body = multipartForm(
      entries,
      fileField ? { field: fileField.name, filename: chosen.name, content: chosen.content } : null,
    );
    return {
      method: 'POST',
      url: action,
      contentType: body.contentType,
      payload: body.payload,
      markup,
      description: `${what}: ${JSON.stringify(entries).slice(0, 300)}, file ${chosen.name}`,
    };
  }
  const body = new URLSearchParams(entries).toString();
  return {
    method: 'POST',
    url: action,
    contentType: 'application/x-www-form-urlencoded',
    payload: body,
    markup,
    description: `${what}: ${body.slice(0, 300)}`,
  };
}

/** Requests sending `form` back, changed. */
export function formRequests(form: Form): fc.Arbitrary<PageRequest> {
  return fc
    .record({ change: changes(form), pick: fc.nat(50), file: fc.nat(FILES.length - 1) })
    .map(({ change, pick, file }) => request(form, change, pick, file));
}
