/**
 * Organi: the district's bodies, and one body's page with its rules (editable, with a preview of the next
 * sessions before saving), its seats and holders, and its sessions from a year back to a year ahead (what
 * a compliance warning, which links here, asks to look at). The form saves through the same operation as
 * PATCH /api/v1/bodies/:id/rules.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { applyRulesChange, HolidayCalendar, type BodyRules } from '../../domain/index';
import { ZONE } from '../../notifications/format';
import { pageAmbito } from '../layout/ambito';
import { submitForm, type FormOutcome } from '../layout/forms';
import { MEETING_STATUS } from '../layout/labels';
import { notFound } from '../pages/routes';
import { actorOf, nowOf, type GovernanceOptions } from '../temporal';
import { loadBodies } from './load';
import { changeBodyRules, RulesChange } from './operations';
import {
  MONTHS,
  NTH,
  ON_HOLIDAY,
  WEEKDAYS,
  describeCadence,
  nextOccurrences,
  rulesToValues,
  tickedMonths,
  valuesToChange,
} from './rules-form';

const VIEWS = 'api/bodies/views';
const YEAR_MS = 366 * 86_400_000;

type Params = { Params: { id: string }; Querystring: { esito?: string } };

export const bodyPages: FastifyPluginAsync<GovernanceOptions> = async (app, options) => {
  const db = app.db;

  async function holidaysOf(ambitoId: string) {
    const feasts = await db.localFeastDay.findMany({ where: { ambitoId, comuneId: null } });
    return new HolidayCalendar(feasts.map(({ month, day, name }) => ({ month, day, name })));
  }

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
  ) {
    // The guard has checked the viewer may read this body (a segreteria, ATS for the Cabina di Regia...):
    // it is read in its own ambito, not the viewer's.
    const stored = await db.body.findUnique({ where: { id: request.params.id }, select: { ambitoId: true } });
    const body = stored && (await loadBodies(db, stored.ambitoId)).find((b) => b.id === request.params.id);
    if (!body) return notFound(reply, 'Organo non trovato');
    const now = Date.now();
    const [meetings, seats, holidays] = await Promise.all([
      db.meeting.findMany({
        where: { bodyId: body.id, startsAt: { gte: new Date(now - YEAR_MS), lte: new Date(now + YEAR_MS) } },
        orderBy: { startsAt: 'asc' },
      }),
      db.seat.findMany({
        where: { bodyId: body.id },
        orderBy: { code: 'asc' },
        include: {
          memberships: {
            where: { OR: [{ validTo: null }, { validTo: { gte: new Date(now) } }] },
            include: { person: true, delegate: true },
          },
        },
      }),
      holidaysOf(stored.ambitoId),
    ]);
    const today = DateTime.fromMillis(now).setZone(ZONE).toISODate()!;
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
      convener: body.convenerOrganisation?.name ?? body.convenerRole,
      cadence: describeCadence(body.rules),
      rules: body.rules,
      next: nextOccurrences(body.rules, today, holidays),
      preview: previewRules && {
        cadence: describeCadence(previewRules),
        next: nextOccurrences(previewRules, today, holidays),
      },
      done: request.query.esito === 'salvate',
      meetings: meetings.map((m) => ({ ...m, statusLabel: MEETING_STATUS[m.status] })),
      seats,
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
          await changeBodyRules(
            {
              db,
              log: request.log,
              governance: options.governance,
              actor: actorOf(request),
              now: new Date(await nowOf(options)),
            },
            request.params.id,
            change,
          );
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
};
