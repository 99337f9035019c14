/**
 * Persone: the Ufficio di Piano finds, adds and edits the people of its ambito, puts the real person in a
 * placeholder's place, names who holds the Ufficio di Piano role, and imports a spreadsheet of people.
 * Every form posts to the same operations as /api/v1/people and /api/v1/staff (one implementation, two
 * doors), works with JavaScript off, and redirects after success.
 *
 * The import with JavaScript off: the file is uploaded once (multipart) and read into rows; the preview page
 * carries those rows back in a hidden field (JSON), so no upload is stored on the server and nothing needs
 * cleaning up. The confirmation plans again from those rows inside the commit's transaction (import/plan.ts):
 * whatever the hidden field holds is validated exactly as an uploaded file would be, and what is saved is
 * what that plan says, never a stale preview.
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { pageAmbito } from '../layout/ambito';
import { submitForm, type FieldErrors } from '../layout/forms';
import { RequestRejected } from '../errors';
import { addToUfficioDiPiano, removeFromUfficioDiPiano } from '../staff/operations';
import { ImportRows } from './import/columns';
import { commitImport, planImport, publicPlan } from './import/plan';
import { MAX_IMPORT_BYTES } from './import/read';
import { templateCsv, templateXlsx } from './import/template';
import { readUploadedSpreadsheet } from './import/upload';
import {
  contextIn,
  createPerson,
  listPeople,
  organisationsOf,
  personOf,
  replacePlaceholder,
  updatePerson,
  type PeopleContext,
  type PeopleOptions,
} from './operations';
import { TEMPLATE_TYPES } from './routes';
import { PeopleQuery, PersonInput } from './schemas';

const VIEWS = 'api/people/views';
const manage = { access: { action: 'ambito.manage', on: 'ambito' } } as const;

type Seat = { role: string; body: { name: string } };

/** "Sindaco di Pandino (Assemblea dei Sindaci, Assemblea del Sub-ambito 3)": one line per role. */
function seatLines(seats: Seat[]): string[] {
  const byRole = new Map<string, string[]>();
  for (const s of seats) byRole.set(s.role, [...(byRole.get(s.role) ?? []), s.body.name]);
  return [...byRole].map(([role, bodies]) => `${role} (${bodies.join(', ')})`);
}

const DONE: Record<string, string> = {
  creata: 'Persona aggiunta.',
  salvata: 'Modifiche salvate.',
  invariata: 'Nessuna modifica da salvare.',
  sostituito:
    'Segnaposto sostituito: seggi, inviti alle sedute future e messaggi non ancora inviati sono passati a questa persona.',
  'udp-aggiunta': 'La persona fa ora parte dell’Ufficio di Piano.',
  'udp-tolta': 'La persona non fa più parte dell’Ufficio di Piano.',
};

interface PersonForm {
  /** Which form the values and errors belong to. */
  form: 'modifica' | 'sostituisci' | 'ruolo';
  status: number;
  values: Record<string, string>;
  errors: FieldErrors;
  message: string | null;
}

export const peoplePages: FastifyPluginAsync<PeopleOptions> = async (app, options) => {
  const db = app.db;
  await app.register(multipart, { limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 2, parts: 3 } });

  async function contextOf(request: FastifyRequest): Promise<PeopleContext> {
    return contextIn(request, (await pageAmbito(db, request)).id, options);
  }

  async function organisationChoices(ambitoId: string, selected: string | undefined) {
    const all = await organisationsOf(db, ambitoId);
    const option = (o: (typeof all)[number]) => ({ ...o, selected: o.id === selected });
    return {
      comuni: all.filter((o) => o.comuneId).map(option),
      altre: all.filter((o) => !o.comuneId).map(option),
    };
  }

  app.get('/persone', { config: manage }, async (request, reply) => {
    const ctx = await contextOf(request);
    const parsed = PeopleQuery.safeParse(request.query);
    const query = parsed.success ? parsed.data : {};
    const people = await listPeople(db, ctx.ambitoId, query, ctx.now);
    const esito = (request.query as { esito?: string }).esito;
    return reply.page(`${VIEWS}/elenco.hbs`, {
      title: 'Persone',
      query: { q: query.q ?? '', segnaposto: query.segnaposto ?? '' },
      people: people.map((p) => ({
        ...p,
        seatLines: seatLines(p.seats),
        delegateLines: seatLines(p.delegateOf),
      })),
      placeholders: people.filter((p) => p.isPlaceholder).length,
      done: esito ? DONE[esito] : null,
    });
  });

  /** The form of a new person, or a person's page; `form` is what a refused submission brings back. */
  async function showPerson(
    request: FastifyRequest,
    reply: FastifyReply,
    personId: string | null,
    form?: PersonForm,
  ) {
    const ctx = await contextOf(request);
    const person = personId ? await personOf(db, ctx.ambitoId, personId, ctx.now) : null;
    const stored = person
      ? {
          fullName: person.fullName,
          email: person.email,
          pecEmail: person.pecEmail ?? '',
          organisationId: person.organisationId ?? '',
        }
      : { fullName: '', email: '', pecEmail: '', organisationId: '' };
    const valuesOf = (which: PersonForm['form'], initial: Record<string, string>) =>
      form?.form === which ? form.values : initial;
    // null, not {}: the views test `{{#if errors}}`, and an empty object is true to handlebars.
    const errorsOf = (which: PersonForm['form']) =>
      form?.form === which && Object.keys(form.errors).length > 0 ? form.errors : null;
    const editValues = valuesOf('modifica', stored);
    const replaceValues = valuesOf('sostituisci', {
      fullName: '',
      email: '',
      pecEmail: '',
      organisationId: person?.organisationId ?? '',
    });
    if (form) reply.status(form.status);
    const esito = (request.query as { esito?: string }).esito;
    return reply.page(`${VIEWS}/persona.hbs`, {
      title: person ? person.fullName : 'Nuova persona',
      person: person && {
        ...person,
        seatLines: seatLines(person.memberships.map((m) => m.seat)),
        delegateLines: person.delegateFor.map((d) => `${seatLines([d.seat])[0]}, per ${d.person.fullName}`),
        ufficioDiPiano: person.udpOf.length > 0,
      },
      edit: {
        values: editValues,
        errors: errorsOf('modifica'),
        organisations: await organisationChoices(ctx.ambitoId, editValues.organisationId),
        message: form?.form === 'modifica' ? form.message : null,
      },
      replace: person?.isPlaceholder && {
        values: replaceValues,
        errors: errorsOf('sostituisci'),
        organisations: await organisationChoices(ctx.ambitoId, replaceValues.organisationId),
        message: form?.form === 'sostituisci' ? form.message : null,
      },
      roleMessage: form?.form === 'ruolo' ? form.message : null,
      done: esito ? DONE[esito] : null,
    });
  }

  const toInput = (values: Record<string, string>) => values;

  app.get('/persone/nuova', { config: manage }, (request, reply) => showPerson(request, reply, null));

  app.post('/persone/nuova', { config: manage }, async (request, reply) => {
    const ctx = await contextOf(request);
    let createdId = '';
    const outcome = await submitForm(
      request.body,
      PersonInput,
      async (input) => (createdId = (await createPerson(ctx, input)).id),
      toInput,
    );
    if (outcome.ok) return reply.redirect(`/persone/${createdId}?esito=creata`, 303);
    return showPerson(request, reply, null, { form: 'modifica', ...outcome });
  });

  type ById = { Params: { id: string } };

  app.get<ById>('/persone/:id', { config: manage }, (request, reply) =>
    showPerson(request, reply, request.params.id),
  );

  app.post<ById>('/persone/:id', { config: manage }, async (request, reply) => {
    const ctx = await contextOf(request);
    const id = request.params.id;
    let changed = false;
    const outcome = await submitForm(
      request.body,
      PersonInput,
      async (input) => (changed = Object.keys((await updatePerson(ctx, id, input)).changed).length > 0),
      toInput,
    );
    if (outcome.ok) return reply.redirect(`/persone/${id}?esito=${changed ? 'salvata' : 'invariata'}`, 303);
    return showPerson(request, reply, id, { form: 'modifica', ...outcome });
  });

  app.post<ById>('/persone/:id/sostituisci', { config: manage }, async (request, reply) => {
    const ctx = await contextOf(request);
    const id = request.params.id;
    let realId = '';
    const outcome = await submitForm(
      request.body,
      PersonInput,
      async (input) => (realId = (await replacePlaceholder(ctx, id, input)).person.id),
      toInput,
    );
    if (outcome.ok) return reply.redirect(`/persone/${realId}?esito=sostituito`, 303);
    return showPerson(request, reply, id, { form: 'sostituisci', ...outcome });
  });

  /** «Aggiungi all'Ufficio di Piano» / «Togli dall'Ufficio di Piano» (the last member cannot be removed). */
  app.post<ById>('/persone/:id/ufficio-di-piano', { config: manage }, async (request, reply) => {
    const ctx = await contextOf(request);
    const id = request.params.id;
    await personOf(db, ctx.ambitoId, id, ctx.now);
    const add = (request.body as { azione?: unknown } | undefined)?.azione === 'aggiungi';
    try {
      if (add) await addToUfficioDiPiano(db, ctx.actor, ctx.ambitoId, id);
      else await removeFromUfficioDiPiano(db, ctx.actor, ctx.ambitoId, id);
    } catch (error) {
      if (!(error instanceof RequestRejected)) throw error;
      return showPerson(request, reply, id, {
        form: 'ruolo',
        status: error.statusCode,
        values: {},
        errors: {},
        message: error.message,
      });
    }
    return reply.redirect(`/persone/${id}?esito=${add ? 'udp-aggiunta' : 'udp-tolta'}#ruolo`, 303);
  });

  // ─── Import ───

  async function showImport(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { status?: number; fileError?: string; plan?: ReturnType<typeof publicPlan>; rows?: string } = {},
  ) {
    const query = request.query as Record<string, string | undefined>;
    if (state.status) reply.status(state.status);
    return reply.page(`${VIEWS}/importa.hbs`, {
      title: 'Importa persone da un foglio di calcolo',
      fileError: state.fileError ?? null,
      plan: state.plan ?? null,
      rows: state.rows ?? null,
      done:
        query.esito === 'fatto'
          ? {
              nuove: query.nuove ?? '0',
              aggiornate: query.aggiornate ?? '0',
              invariate: query.invariate ?? '0',
            }
          : null,
    });
  }

  app.get('/persone/importa', { config: manage }, (request, reply) => showImport(request, reply));

  for (const format of ['xlsx', 'csv'] as const)
    app.get(`/persone/modello.${format}`, { config: manage }, async (request, reply) => {
      const ctx = await contextOf(request);
      const file = format === 'xlsx' ? await templateXlsx(db, ctx.ambitoId) : templateCsv();
      return reply
        .header('content-type', TEMPLATE_TYPES[format])
        .header('content-disposition', `attachment; filename="modello-persone.${format}"`)
        .send(file);
    });

  /** The upload: the preview of every row, saving nothing. */
  app.post('/persone/importa', { config: manage }, async (request, reply) => {
    const ctx = await contextOf(request);
    let rows;
    try {
      rows = await readUploadedSpreadsheet(request);
    } catch (error) {
      if (!(error instanceof RequestRejected)) throw error;
      return showImport(request, reply, { status: error.statusCode, fileError: error.message });
    }
    const plan = publicPlan(await planImport(db, ctx.ambitoId, rows, ctx.now));
    return showImport(request, reply, { plan, rows: JSON.stringify(rows) });
  });

  /** The confirmation: the rows the preview carried, planned again and applied in one transaction. */
  app.post('/persone/importa/conferma', { config: manage }, async (request, reply) => {
    const ctx = await contextOf(request);
    const raw = (request.body as { righe?: unknown } | undefined)?.righe;
    let rows;
    try {
      rows = ImportRows.parse(JSON.parse(typeof raw === 'string' ? raw : ''));
    } catch {
      return showImport(request, reply, {
        status: 400,
        fileError: 'L’anteprima non è più valida: caricare di nuovo il file.',
      });
    }
    try {
      const { riepilogo } = await commitImport(ctx, rows);
      const counts = new URLSearchParams({
        esito: 'fatto',
        nuove: String(riepilogo.nuove),
        aggiornate: String(riepilogo.aggiornate),
        invariate: String(riepilogo.invariate),
      });
      return reply.redirect(`/persone/importa?${counts}`, 303);
    } catch (error) {
      if (!(error instanceof RequestRejected)) throw error;
      // Something changed since the preview: show the new one, from the same rows.
      const plan = publicPlan(await planImport(db, ctx.ambitoId, rows, ctx.now));
      return showImport(request, reply, { status: error.statusCode, plan, rows: JSON.stringify(rows) });
    }
  });
};
