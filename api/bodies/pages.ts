/**
 * Organi: the district's bodies, and one body's page with its rules (editable, with a preview of the next
 * sessions before saving), its seats and holders, and its sessions from a year back to a year ahead (what
 * a compliance warning, which links here, asks to look at). The form saves through the same operation as
 * PATCH /api/v1/bodies/:id/rules.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { can } from '../../domain/policy';
import { applyRulesChange, readClock, type BodyRules } from '../../domain/index';
import { ZONE } from '../../notifications/format';
import { pageAmbito } from '../layout/ambito';
import { formValues, submitForm, type FormOutcome } from '../layout/forms';
import { MEETING_STATUS } from '../layout/labels';
import { notFound } from '../pages/routes';
import type { GovernanceOptions } from '../temporal';
import { actorOf } from '../temporal';
import { notEndedBy } from '../../prisma/membership-days';
import { ambitoHolidays, loadBodies } from './load';
import { changeBodyRules, RulesChange, rulesContext } from './operations';
import {
  addToSegreteria,
  AssignHolder,
  assignHolder,
  EndMembership,
  endMembership,
  removeFromSegreteria,
  seatContext,
  SetDelegate,
  setDelegate,
  type SeatOptions,
} from './seats';
import {
  MONTHS,
  NTH,
  ON_HOLIDAY,
  WEEKDAYS,
  describeCadence,
  nextOccurrences,
  orderWarnings,
  rulesToValues,
  tickedMonths,
  valuesToChange,
} from './rules-form';

const VIEWS = 'api/bodies/views';
const YEAR_MS = 366 * 86_400_000;

type Params = { Params: { id: string }; Querystring: { esito?: string } };

/** A refused form of the seats and segreteria section: which one (`key`), its messages and what was typed. */
interface SeatFormState {
  key: string;
  errors: Record<string, string>;
  values: Record<string, string>;
  message: string | null;
}

/** What the seats' forms confirm after a change (`?esito=`). */
const SEAT_DONE: Record<string, string> = {
  titolare: 'Titolare assegnato.',
  delegato: 'Delegato permanente aggiornato.',
  fine: 'Incarico terminato.',
  segreteria: 'Segreteria aggiornata.',
};

export const bodyPages: FastifyPluginAsync<GovernanceOptions & SeatOptions> = async (app, options) => {
  const db = app.db;
  // Every path here names its body, seat, membership or person by a UUID; anything else names nothing, and
  // would reach Postgres as a uuid it cannot read (a 500, found by the pages' fuzzer).
  app.addHook('preHandler', async (request, reply) => {
    const params = Object.values((request.params ?? {}) as Record<string, string>);
    if (params.some((value) => !z.uuid().safeParse(value).success))
      return notFound(reply, 'Organo non trovato');
  });

  app.get(
    '/organi',
    { config: { access: { action: 'ambito.read', on: 'ambito' } } },
    async (request, reply) => {
      const ambito = await pageAmbito(db, request);
      const bodies = await loadBodies(db, ambito.id);
      return reply.page(`${VIEWS}/elenco.hbs`, {
        title: 'Organi',
        bodies: bodies.map((body) => ({
          ...body,
          cadence: describeCadence(body.rules),
          convener: body.convenerOrganisation?.name ?? body.convenerRole,
        })),
      });
    },
  );

  /** The body's page; `form` is what a refused or previewed submission brings back. */
  async function showBody(
    request: FastifyRequest<Params>,
    reply: FastifyReply,
    form?: { outcome: FormOutcome | null; values: Record<string, string>; body: Record<string, unknown> },
    seatForm?: SeatFormState,
  ) {
    // Members and segreterie read their body too (body.read): the body's own ambito, not the reader's.
    const row = await db.body.findUnique({
      where: { id: request.params.id },
      select: { ambitoId: true, spansAmbiti: { select: { ambitoId: true } } },
    });
    const bodies = row ? await loadBodies(db, row.ambitoId) : [];
    const body = bodies.find((b) => b.id === request.params.id);
    if (!row || !body) return notFound(reply, 'Organo non trovato');
    const target = {
      kind: 'body' as const,
      bodyId: body.id,
      ambitoIds: [row.ambitoId, ...row.spansAmbiti.map((a) => a.ambitoId)],
    };
    const mayChangeRules = request.viewer
      ? can(request.viewer.principal, 'body.rules.change', target)
      : false;
    const mayManage = request.viewer ? can(request.viewer.principal, 'body.manage', target) : false;
    const now = await readClock(options.now);
    const [meetings, seats, holidays, segreteria, people] = await Promise.all([
      db.meeting.findMany({
        where: { bodyId: body.id, startsAt: { gte: new Date(now - YEAR_MS), lte: new Date(now + YEAR_MS) } },
        orderBy: { startsAt: 'asc' },
      }),
      db.seat.findMany({
        where: { bodyId: body.id },
        orderBy: { code: 'asc' },
        include: {
          memberships: {
            where: notEndedBy(new Date(now)),
            include: { person: true, delegate: true },
          },
        },
      }),
      ambitoHolidays(db, row.ambitoId),
      db.segreteria.findMany({
        where: { bodyId: body.id },
        include: { person: { select: { id: true, fullName: true, email: true } } },
        orderBy: { person: { fullName: 'asc' } },
      }),
      // The forms name people by e-mail, chosen from this list (one per page, not one per field).
      mayManage
        ? db.person.findMany({ orderBy: { fullName: 'asc' }, select: { fullName: true, email: true } })
        : [],
    ]);
    const today = DateTime.fromMillis(now).setZone(ZONE).toISODate()!;
    if (seatForm) reply.status(400);
    const formAt = (key: string, defaults: Record<string, string> = {}) =>
      seatForm?.key === key
        ? { errors: seatForm.errors, values: seatForm.values, message: seatForm.message }
        : { errors: {}, values: defaults, message: null };
    const values = form?.values ?? rulesToValues(body.rules);
    const months = form ? tickedMonths(form.body) : (body.rules.cadence?.months ?? []);
    // The preview: what the submitted rules give (when they are valid), else what the stored ones give.
    let previewRules: BodyRules | null = null;
    if (form && !form.outcome)
      previewRules = applyRulesChange(body.rules, valuesToChange(form.values, form.body));
    const failed = form?.outcome && !form.outcome.ok ? form.outcome : null;
    if (failed) reply.status(failed.status);
    return reply.page(`${VIEWS}/organo.hbs`, {
      title: body.name,
      body,
      mayChangeRules,
      convener: body.convenerOrganisation?.name ?? body.convenerRole,
      cadence: describeCadence(body.rules),
      rules: body.rules,
      next: nextOccurrences(body.rules, today, holidays),
      warnings: orderWarnings(bodies, body.id, body.rules, today, holidays),
      preview: previewRules && {
        cadence: describeCadence(previewRules),
        next: nextOccurrences(previewRules, today, holidays),
        warnings: orderWarnings(bodies, body.id, previewRules, today, holidays),
      },
      done: request.query.esito === 'salvate',
      meetings: meetings.map((m) => ({ ...m, statusLabel: MEETING_STATUS[m.status] })),
      seats: seats.map((seat) => ({
        ...seat,
        open:
          !!seatForm &&
          [
            `titolare-${seat.id}`,
            ...seat.memberships.flatMap((m) => [`delegato-${m.id}`, `fine-${m.id}`]),
          ].includes(seatForm.key),
        assign: formAt(`titolare-${seat.id}`, { validFrom: today }),
        memberships: seat.memberships.map((m) => ({
          ...m,
          delegateForm: formAt(`delegato-${m.id}`, { delegatePersonId: m.delegate?.email ?? '' }),
          endForm: formAt(`fine-${m.id}`, { validTo: today }),
        })),
      })),
      mayManage,
      people,
      segreteria: segreteria.map((s) => s.person),
      segreteriaForm: formAt('segreteria'),
      seatDone: SEAT_DONE[request.query.esito ?? ''] ?? null,
      values,
      errors: failed?.errors ?? null,
      message: failed?.message ?? null,
      choices: {
        months: MONTHS.map((label, i) => ({ value: i + 1, label, checked: months.includes(i + 1) })),
        nth: Object.entries(NTH).map(([value, label]) => ({
          value,
          label,
          selected: values['cadence.nth'] === value,
        })),
        weekday: WEEKDAYS.map((label, i) => ({
          value: String(i + 1),
          label,
          selected: values['cadence.weekday'] === String(i + 1),
        })),
        onHoliday: Object.entries(ON_HOLIDAY).map(([value, label]) => ({
          value,
          label,
          selected: values['cadence.onHoliday'] === value,
        })),
      },
    });
  }

  app.get<Params>(
    '/organi/:id',
    { config: { access: { action: 'body.read', on: 'body' } } },
    (request, reply) => showBody(request, reply),
  );

  /** "Anteprima" shows the next sessions under the typed rules and saves nothing; "Salva" saves them. */
  app.post<Params & { Body: Record<string, unknown> }>(
    '/organi/:id/regole',
    { config: { access: { action: 'body.rules.change', on: 'body' } } },
    async (request, reply) => {
      const raw = (request.body ?? {}) as Record<string, unknown>;
      const preview = raw.azione === 'anteprima';
      const { azione: _action, ...fields } = raw;
      const outcome = await submitForm(
        fields,
        RulesChange,
        async (change) => {
          if (preview) return;
          await changeBodyRules(await rulesContext(db, request, options), request.params.id, change);
        },
        valuesToChange,
      );
      if (outcome.ok && !preview) return reply.redirect(`/organi/${request.params.id}?esito=salvate`, 303);
      const values = Object.fromEntries(
        Object.entries(fields).map(([k, v]) => [k, Array.isArray(v) ? '' : String(v ?? '')]),
      );
      return showBody(request, reply, { outcome: outcome.ok ? null : outcome, values, body: fields });
    },
  );

  /**
   * The seats' and segreteria's forms name people by e-mail; the operations take identifiers. An e-mail no
   * person has stays as typed, and the operation's schema refuses it next to its field.
   */
  async function withPersonIds(values: Record<string, string>, fields: string[]) {
    const emails = fields.map((f) => values[f]?.trim().toLowerCase()).filter((e): e is string => !!e);
    const found = await db.person.findMany({
      where: { email: { in: emails } },
      select: { id: true, email: true },
    });
    const ids = new Map(found.map((p) => [p.email.toLowerCase(), p.id]));
    const out: Record<string, unknown> = { ...values };
    for (const f of fields) {
      const email = values[f]?.trim().toLowerCase();
      out[f] = email ? (ids.get(email) ?? email) : undefined;
    }
    return out;
  }

  /** Runs one of the seats' forms: back to the section on success, the page with the messages otherwise. */
  async function seatForm<S extends z.ZodType>(
    request: FastifyRequest<Params & { Body: Record<string, unknown> }>,
    reply: FastifyReply,
    key: string,
    done: string,
    schema: S,
    emailFields: string[],
    operation: (input: z.infer<S>) => Promise<unknown>,
    emptyAs: unknown = undefined,
  ) {
    const raw = formValues(request.body);
    const prepared = await withPersonIds(raw, emailFields);
    for (const [k, v] of Object.entries(prepared)) if (v === undefined) prepared[k] = emptyAs;
    const outcome = await submitForm(raw, schema, operation, () =>
      Object.fromEntries(Object.entries(prepared).filter(([, v]) => v !== undefined)),
    );
    if (outcome.ok) return reply.redirect(`/organi/${request.params.id}?esito=${done}#seggi`, 303);
    for (const f of emailFields)
      if (outcome.errors[f] && raw[f]?.includes('@'))
        outcome.errors[f] = 'nessuna persona registrata con questa e-mail';
    return showBody(request, reply, undefined, {
      key,
      errors: outcome.errors,
      values: raw,
      message: outcome.message,
    });
  }

  type SeatRoute = Params & { Body: Record<string, unknown> };
  const manage = { config: { access: { action: 'body.manage', on: 'body' } } } as const;
  const ctxOf = (request: FastifyRequest) => ({ db, actor: actorOf(request) });

  app.post<SeatRoute & { Params: { seatId: string } }>(
    '/organi/:id/seggi/:seatId/titolare',
    manage,
    (request, reply) =>
      seatForm(
        request,
        reply,
        `titolare-${request.params.seatId}`,
        'titolare',
        AssignHolder,
        ['personId', 'delegatePersonId'],
        async (input) =>
          assignHolder(await seatContext(request, options), request.params.id, request.params.seatId, input),
      ),
  );

  app.post<SeatRoute & { Params: { membershipId: string } }>(
    '/organi/:id/incarichi/:membershipId/delegato',
    manage,
    (request, reply) =>
      seatForm(
        request,
        reply,
        `delegato-${request.params.membershipId}`,
        'delegato',
        SetDelegate,
        ['delegatePersonId'],
        async (input) =>
          setDelegate(
            await seatContext(request, options),
            request.params.id,
            request.params.membershipId,
            input,
          ),
        // An empty field clears the delegate.
        null,
      ),
  );

  app.post<SeatRoute & { Params: { membershipId: string } }>(
    '/organi/:id/incarichi/:membershipId/fine',
    manage,
    (request, reply) =>
      seatForm(request, reply, `fine-${request.params.membershipId}`, 'fine', EndMembership, [], (input) =>
        endMembership(ctxOf(request), request.params.id, request.params.membershipId, input),
      ),
  );

  const SegreteriaForm = z.object({ personId: z.uuid({ message: 'scegliere una persona' }) }).strict();
  app.post<SeatRoute>('/organi/:id/segreteria', manage, (request, reply) =>
    seatForm(request, reply, 'segreteria', 'segreteria', SegreteriaForm, ['personId'], (input) =>
      addToSegreteria(ctxOf(request), request.params.id, input.personId),
    ),
  );

  app.post<SeatRoute & { Params: { personId: string } }>(
    '/organi/:id/segreteria/:personId/togli',
    manage,
    async (request, reply) => {
      await removeFromSegreteria(ctxOf(request), request.params.id, request.params.personId);
      return reply.redirect(`/organi/${request.params.id}?esito=segreteria#seggi`, 303);
    },
  );
};
