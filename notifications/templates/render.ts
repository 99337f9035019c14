/**
 * Renders a message kind into subject, HTML and plain text.
 *
 * Language decision: every message carries Italian first and English second, in the same e-mail. The
 * recipients are Italian administrations; the English copy serves the few non-Italian readers (and the
 * project's reviewers) without a per-person language setting that somebody must keep right. The subject
 * is "Italian / English" so both languages show in the inbox list.
 */
import Handlebars from 'handlebars';
import { formatDate, formatDateTime, formatTime, type Language } from '../format';
import { TemplateData, type TemplateInput, type TemplateKind } from './data';
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

const LAYOUT_HTML = compileHtml(`<!doctype html>
<html lang="it"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{subject}}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;line-height:1.45;color:#1a1a1a;max-width:680px;margin:0 auto;padding:16px">
<p style="font-size:13px;color:#555;border-bottom:2px solid #1d4e89;padding-bottom:6px">{{district}}</p>
<div lang="it">{{{it}}}</div>
<hr style="margin:28px 0;border:0;border-top:1px solid #ccc">
<p style="font-size:12px;color:#555">English version</p>
<div lang="en">{{{en}}}</div>
<p style="font-size:11px;color:#777;border-top:1px solid #ccc;margin-top:28px;padding-top:6px">{{district}} – messaggio automatico del calendario della governance / automatic message from the governance calendar.</p>
</body></html>`);

const LAYOUT_TEXT = compileText(`{{district}}
{{rule}}

{{it}}

{{rule}}
English version

{{en}}

--
{{district}} – messaggio automatico del calendario della governance / automatic message from the governance calendar.
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

/** Validates the data for `kind` (throws a ZodError naming the field) and renders the bilingual message. */
export function renderMessage<K extends TemplateKind>(kind: K, input: TemplateInput<K>): RenderedMessage {
  const data = TemplateData[kind].parse(input);
  const parts = compiled[kind];
  // Subjects are one line: collapse whitespace that a multi-line value (a title, a reason) could bring.
  const subjectOf = (language: Language) => parts[language].subject(data).replace(/\s+/g, ' ').trim();
  const subject = `${subjectOf('it')} / ${subjectOf('en')}`;
  return {
    subject,
    html: LAYOUT_HTML({ subject, district: data.district, it: parts.it.html(data), en: parts.en.html(data) }),
    text: LAYOUT_TEXT({
      district: data.district,
      rule: '='.repeat(60),
      it: parts.it.text(data).trim(),
      en: parts.en.text(data).trim(),
    }).replace(/\n{3,}/g, '\n\n'),
  };
}
