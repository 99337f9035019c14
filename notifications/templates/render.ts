/**
 * Renders a message kind into subject, HTML and plain text, in one language: the recipient's (Person.language,
 * Italian unless they asked for English in their profile; the outbox looks it up). Sending both languages in
 * every e-mail, as the service first did, made mayors scroll past an English copy nobody asked for.
 */
import Handlebars from 'handlebars';
import { formatDate, formatDateTime, formatTime, type Language } from '../format';
import { TemplateData, type TemplateInput, type TemplateKind, type TemplateOutput } from './data';
import { KINDS } from './kinds';
import { PARTIALS } from './partials';

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
}

function environment(format: 'html' | 'text'): typeof Handlebars {
  const hbs = Handlebars.create();
  hbs.registerHelper('dateTime', (iso: string, language: Language) => formatDateTime(iso, language));
  hbs.registerHelper('date', (iso: string, language: Language) => formatDate(iso, language));
  hbs.registerHelper('time', (iso: string) => formatTime(iso));
  hbs.registerHelper('number', (index: number, start: number) => index + start);
  for (const [name, source] of Object.entries(PARTIALS)) {
    if (name.endsWith(`_${format}`)) hbs.registerPartial(name, source);
  }
  return hbs;
}

const html = environment('html');
const text = environment('text');
// Text parts and subjects never reach a browser: escaping there would turn "D'Ambrosio" into "D&#x27;Ambrosio".
const compileText = (source: string) => text.compile(source, { noEscape: true, strict: false });
const compileHtml = (source: string) => html.compile(source, { strict: false });

const FOOTER: Record<Language, string> = {
  it: 'messaggio automatico del calendario della governance.',
  en: 'automatic message from the governance calendar.',
};

const LAYOUT_HTML = compileHtml(`<!doctype html>
<html lang="{{language}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{subject}}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;line-height:1.45;color:#1a1a1a;max-width:680px;margin:0 auto;padding:16px">
<p style="font-size:13px;color:#555;border-bottom:2px solid #1d4e89;padding-bottom:6px">{{district}}</p>
<div>{{{body}}}</div>
<p style="font-size:11px;color:#777;border-top:1px solid #ccc;margin-top:28px;padding-top:6px">{{district}} – {{footer}}</p>
</body></html>`);

const LAYOUT_TEXT = compileText(`{{district}}
{{rule}}

{{body}}

--
{{district}} – {{footer}}
`);

type Compiled = Record<
  Language,
  { subject: HandlebarsTemplateDelegate; html: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate }
>;

const compiled = Object.fromEntries(
  Object.entries(KINDS).map(([kind, sources]) => [
    kind,
    Object.fromEntries(
      (['it', 'en'] as const).map((language) => [
        language,
        {
          subject: compileText(sources[language].subject),
          html: compileHtml(sources[language].html),
          text: compileText(sources[language].text),
        },
      ]),
    ),
  ]),
) as Record<TemplateKind, Compiled>;

/** Validates the data for `kind` (throws a ZodError naming the field) and renders it in `language`. */
export function renderMessage<K extends TemplateKind>(
  kind: K,
  input: TemplateInput<K>,
  language: Language = 'it',
): RenderedMessage {
  return renderParsed(kind, TemplateData[kind].parse(input) as TemplateOutput<K>, language);
}

/**
 * Renders data that `TemplateData[kind].parse` already returned: the outbox validates a whole fan-out before
 * it stores any of it, and parsing each message a second time to render it cost as much as its SQL.
 */
export function renderParsed<K extends TemplateKind>(
  kind: K,
  data: TemplateOutput<K>,
  language: Language = 'it',
): RenderedMessage {
  const part = compiled[kind][language];
  // Subjects are one line: collapse whitespace that a multi-line value (a title, a reason) could bring.
  const subject = part.subject(data).replace(/\s+/g, ' ').trim();
  const common = { district: data.district, footer: FOOTER[language] };
  return {
    subject,
    html: LAYOUT_HTML({ ...common, subject, language, body: part.html(data) }),
    text: LAYOUT_TEXT({ ...common, rule: '='.repeat(60), body: part.text(data).trim() }).replace(
      /\n{3,}/g,
      '\n\n',
    ),
  };
}
