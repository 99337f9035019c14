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
import { applyRulesChange, type BodyRules } from '../../domain/index';
import { ZONE } from '../../notifications/format';
import { pageAmbito } from '../layout/ambito';
import { submitForm, type FormOutcome } from '../layout/forms';
import { MEETING_STATUS } from '../layout/labels';
import { notFound } from '../pages/routes';
import type { GovernanceOptions } from '../temporal';
import { ambitoHolidays, loadBodies } from './load';
import { changeBodyRules, RulesChange, rulesContext } from './operations';
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

export const bodyPages: FastifyPluginAsync<GovernanceOptions> = async (app, options) => {
  const db = app.db;

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
    // Members and segreterie read their body too (body.read): the body's own ambito, not the reader's.
    const row = z.uuid().safeParse(request.params.id).success
      ? await db.body.findUnique({
          where: { id: request.params.id },
          select: { ambitoId: true, spansAmbiti: { select: { ambitoId: true } } },
        })
      : null;
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
      ambitoHolidays(db, row.ambitoId),
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
};
