/**
 * Changing a body's rules: stored and audited in one transaction, then the body's series is told (or started,
 * for a body that gains a cadence); when Temporal cannot be reached the reconciler starts it later. The JSON
 * route (PATCH /api/v1/bodies/:id/rules) and the Organi page's form both call this.
 */
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { applyRulesChange, BodyRulesChange, readClock } from '../../domain/index';
import type { Database } from '../../prisma/client';
import { signalRulesChanged, type GovernanceClient } from '../../workflows/client';
import { RequestRejected } from '../errors';
import { ZONE } from '../../notifications/format';
import { actorOf, afterCommit, type GovernanceOptions } from '../temporal';
import { ambitoHolidays, loadBodies } from './load';
import { orderWarnings } from './rules-form';

export const RulesChange = BodyRulesChange.refine((change) => Object.keys(change).length > 0, {
  message: 'indicare almeno una sezione delle regole (cadence, notice, minutes, compliance, quorum)',
  // Only for a well-formed but empty change: an unknown section is reported by name, not as "empty".
  when: (payload) => payload.issues.length === 0,
});

export interface RulesContext {
  db: Database;
  log: FastifyBaseLogger;
  governance: GovernanceClient | null;
  actor: string;
  /** The current instant (the time-skipping clock in tests). */
  now: Date;
}

/** The context of a request that changes rules (the time from the governance options' clock). */
export async function rulesContext(
  db: Database,
  request: FastifyRequest,
  options: GovernanceOptions,
): Promise<RulesContext> {
  return {
    db,
    log: request.log,
    governance: options.governance,
    actor: actorOf(request),
    now: new Date(await readClock(options.now)),
  };
}

export async function changeBodyRules(ctx: RulesContext, id: string, change: z.infer<typeof RulesChange>) {
  const { db } = ctx;
  const { body, rules } = await db.$transaction(async (tx) => {
    // The change applies over the rules as they are when it is written: two changes at once, to two
    // sections, each read the same rules and the second wrote back the first's section as it was before.
    await tx.$queryRaw`SELECT 1 AS locked FROM "Body" WHERE "id" = ${id}::uuid FOR UPDATE`;
    const body = await tx.body.findUnique({ where: { id } });
    if (!body?.active) throw new RequestRejected(404, 'organo_sconosciuto', `Organo sconosciuto: ${id}`);
    const rules = applyRulesChange(body.rules, change);
    await tx.body.update({ where: { id }, data: { rules } });
    await tx.auditEvent.create({
      data: {
        actor: ctx.actor,
        action: 'body.rules_changed',
        entity: 'body',
        entityId: id,
        data: { change, before: body.rules ?? {} },
      },
    });
    return { body, rules };
  });
  const processo = await afterCommit(ctx.log, ctx.governance, (gc) =>
    signalRulesChanged(gc, id, ctx.now.toISOString()),
  );
  // Saved all the same (the coordinator may mean it, e.g. for one year), but told what the plan now lacks.
  const [bodies, holidays] = await Promise.all([
    loadBodies(db, body.ambitoId),
    ambitoHolidays(db, body.ambitoId),
  ]);
  const today = DateTime.fromJSDate(ctx.now).setZone(ZONE).toISODate()!;
  const avvisi = orderWarnings(bodies, id, rules, today, holidays);
  return { body, rules, processo, avvisi };
}
