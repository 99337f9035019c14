/**
 * Who holds a body's seats and who prepares its meetings: assign a person to a seat (the holder in office
 * until then steps down the day before), set or clear a holder's standing delegate, end a membership on a
 * date, and add or remove a person of the body's segreteria. Each change is checked, stored and audited in
 * one transaction. The JSON routes (routes.ts, api/staff/routes.ts) and the Organi page's forms call these.
 */
import type { FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Database, Prisma } from '../../prisma/client';
import { readClock, type Clock } from '../../domain/index';
import { RequestRejected } from '../errors';
import { takenInBy, type Latecomers } from '../people/operations';
import { actorOf } from '../temporal';
import { staffAudit } from '../staff/operations';
import { civilOfColumn, dateColumn } from '../../prisma/date-columns';

export interface SeatContext {
  db: Database;
  /** Who acts, as the audit names them (api/temporal.ts actorOf). */
  actor: string;
  /**
   * Sends the convocation of a session already convened to whoever now represents the seat on its day
   * (notifications/answers/answering.ts, convokeSeat); absent (the API without mail), the meeting workflow's
   * next step sends it (activities/meetings.ts, convokeNewcomers).
   */
  latecomers?: Latecomers;
  /** The API's clock: sessions begun by then are not convened any more. */
  now?: Date;
}

/** What the bodies' routes and pages are given: the service's answering (when mail runs) and the API's clock. */
export interface SeatOptions {
  latecomers?: Latecomers;
  now?: Clock;
}

/** The context of a request that changes seats. */
export async function seatContext(request: FastifyRequest, options: SeatOptions): Promise<SeatContext> {
  return {
    db: request.server.db,
    actor: actorOf(request),
    latecomers: options.latecomers,
    now: new Date(await readClock(options.now)),
  };
}

/** Convokes, in the change's transaction, whoever the change made the seat's representative on a session day. */
async function convokeSeat(ctx: SeatContext, tx: Prisma.TransactionClient, seatId: string) {
  return ctx.latecomers ? ctx.latecomers.convokeSeat(tx, seatId, ctx.now ?? new Date()) : [];
}

const CivilDate = z.iso.date({ message: 'indicare una data (AAAA-MM-GG)' });
const PersonId = (message: string) => z.uuid({ message });

export const AssignHolder = z
  .object({
    personId: PersonId('scegliere una persona'),
    validFrom: CivilDate,
    delegatePersonId: PersonId('scegliere una persona come delegato').nullable().optional(),
  })
  .strict();
export const SetDelegate = z
  .object({ delegatePersonId: PersonId('scegliere una persona come delegato').nullable() })
  .strict();
export const EndMembership = z.object({ validTo: CivilDate }).strict();

/** A person the body's ambiti may take in (api/people/operations.ts takenInBy); another ambito's is unknown here. */
async function personOr404(db: Database, bodyId: string, personId: string, field: string) {
  const body = await db.body.findUnique({
    where: { id: bodyId },
    select: { ambitoId: true, spansAmbiti: { select: { ambitoId: true } } },
  });
  const ambiti = body ? [body.ambitoId, ...body.spansAmbiti.map((a) => a.ambitoId)] : [];
  const person = await db.person.findFirst({
    where: { AND: [{ id: personId }, takenInBy(ambiti)] },
    select: { id: true },
  });
  if (!person)
    throw new RequestRejected(404, 'persona_sconosciuta', 'Nessuna persona con questo identificativo.', [
      { field, message: 'persona sconosciuta' },
    ]);
}

async function membershipOf(db: Database, bodyId: string, membershipId: string) {
  const membership = await db.membership.findUnique({
    where: { id: membershipId },
    include: { seat: { select: { bodyId: true, allowsDelegate: true } } },
  });
  if (!membership || membership.seat.bodyId !== bodyId)
    throw new RequestRejected(
      404,
      'incarico_sconosciuto',
      "Nessun incarico con questo identificativo nell'organo.",
    );
  return membership;
}

function audit(ctx: SeatContext, action: string, entityId: string, data: object) {
  return { actor: ctx.actor, action, entity: 'membership', entityId, data };
}

/** The person takes the seat from `validFrom`; whoever held it until then ends the day before. */
export async function assignHolder(
  ctx: SeatContext,
  bodyId: string,
  seatId: string,
  input: z.output<typeof AssignHolder>,
) {
  const { db } = ctx;
  const seat = await db.seat.findUnique({ where: { id: seatId }, select: { bodyId: true } });
  if (!seat || seat.bodyId !== bodyId)
    throw new RequestRejected(
      404,
      'seggio_sconosciuto',
      "Nessun seggio con questo identificativo nell'organo.",
    );
  await personOr404(db, bodyId, input.personId, 'personId');
  if (input.delegatePersonId) await personOr404(db, bodyId, input.delegatePersonId, 'delegatePersonId');
  if (input.delegatePersonId === input.personId)
    throw new RequestRejected(400, 'delegato_non_valido', 'Il delegato non può essere il titolare.', [
      { field: 'delegatePersonId', message: 'scegliere una persona diversa dal titolare' },
    ]);
  const from = dateColumn(input.validFrom);
  const dayBefore = dateColumn(
    DateTime.fromISO(input.validFrom, { zone: 'utc' }).minus({ days: 1 }).toISODate()!,
  );
  const { membership, convocationKeys } = await db.$transaction(async (tx) => {
    // Two assignments at once would each end the same holder and both take the seat: the seat's row lock
    // makes the second read the holders after the first has committed (and answer 409).
    await tx.$queryRaw`SELECT 1 AS locked FROM "Seat" WHERE "id" = ${seatId}::uuid FOR UPDATE`;
    const current = await tx.membership.findMany({
      where: { seatId, OR: [{ validTo: null }, { validTo: { gte: from } }] },
    });
    const later = current.find((m) => m.validFrom >= from);
    if (later)
      throw new RequestRejected(409, 'data_non_valida', 'Il seggio ha già un titolare da quella data.', [
        {
          field: 'validFrom',
          message: `il titolare attuale è in carica dal ${civilOfColumn(later.validFrom)}: scegliere una data successiva`,
        },
      ]);
    await tx.membership.updateMany({
      where: { id: { in: current.map((m) => m.id) } },
      data: { validTo: dayBefore },
    });
    const membership = await tx.membership.create({
      data: {
        seatId,
        personId: input.personId,
        validFrom: from,
        delegatePersonId: input.delegatePersonId ?? null,
      },
    });
    await tx.auditEvent.create({
      data: audit(ctx, 'membership.assigned', membership.id, {
        seatId,
        personId: input.personId,
        validFrom: input.validFrom,
        ended: current.map((m) => m.id),
      }),
    });
    return { membership, convocationKeys: await convokeSeat(ctx, tx, seatId) };
  });
  await ctx.latecomers?.deliverLate(convocationKeys);
  return membership;
}

/** Sets the holder's standing delegate, or clears it (null). */
export async function setDelegate(
  ctx: SeatContext,
  bodyId: string,
  membershipId: string,
  input: z.output<typeof SetDelegate>,
) {
  const { db } = ctx;
  const membership = await membershipOf(db, bodyId, membershipId);
  const delegate = input.delegatePersonId;
  if (delegate) {
    await personOr404(db, bodyId, delegate, 'delegatePersonId');
    if (!membership.seat.allowsDelegate)
      throw new RequestRejected(409, 'delega_non_ammessa', 'Questo seggio non ammette delegati.', [
        { field: 'delegatePersonId', message: 'il seggio non ammette delegati' },
      ]);
    if (delegate === membership.personId)
      throw new RequestRejected(400, 'delegato_non_valido', 'Il delegato non può essere il titolare.', [
        { field: 'delegatePersonId', message: 'scegliere una persona diversa dal titolare' },
      ]);
  }
  // Set or cleared, the seat's representative changes: the new delegate, or the holder again, is convened.
  const { updated, convocationKeys } = await db.$transaction(async (tx) => {
    const updated = await tx.membership.update({
      where: { id: membershipId },
      data: { delegatePersonId: delegate },
    });
    await tx.auditEvent.create({
      data: audit(ctx, delegate ? 'membership.delegate_set' : 'membership.delegate_cleared', membershipId, {
        before: membership.delegatePersonId,
        after: delegate,
      }),
    });
    return { updated, convocationKeys: await convokeSeat(ctx, tx, membership.seatId) };
  });
  await ctx.latecomers?.deliverLate(convocationKeys);
  return updated;
}

/** The holder leaves the seat at the end of `validTo`. */
export async function endMembership(
  ctx: SeatContext,
  bodyId: string,
  membershipId: string,
  input: z.output<typeof EndMembership>,
) {
  const { db } = ctx;
  const membership = await membershipOf(db, bodyId, membershipId);
  const to = dateColumn(input.validTo);
  if (to < membership.validFrom)
    throw new RequestRejected(400, 'data_non_valida', "La fine dell'incarico precede il suo inizio.", [
      { field: 'validTo', message: `indicare una data dal ${civilOfColumn(membership.validFrom)} in poi` },
    ]);
  const [updated] = await db.$transaction([
    db.membership.update({ where: { id: membershipId }, data: { validTo: to } }),
    db.auditEvent.create({
      data: audit(ctx, 'membership.ended', membershipId, {
        before: membership.validTo && civilOfColumn(membership.validTo),
        validTo: input.validTo,
      }),
    }),
  ]);
  return updated;
}

/** The person joins the body's segreteria (nothing changes when they are in it already). */
export async function addToSegreteria(ctx: SeatContext, bodyId: string, personId: string) {
  const { db } = ctx;
  // An unknown body would otherwise fail on the foreign key, as a 500 (found by the fuzzer).
  if (!(await db.body.findUnique({ where: { id: bodyId }, select: { id: true } })))
    throw new RequestRejected(404, 'organo_sconosciuto', `Organo sconosciuto: ${bodyId}`);
  await personOr404(db, bodyId, personId, 'personId');
  await db.$transaction(async (tx) => {
    const { count } = await tx.segreteria.createMany({ data: [{ bodyId, personId }], skipDuplicates: true });
    if (count)
      await tx.auditEvent.create({ data: staffAudit(ctx.actor, 'staff.segreteria_added', personId, bodyId) });
  });
}

export async function removeFromSegreteria(ctx: SeatContext, bodyId: string, personId: string) {
  await ctx.db.$transaction(async (tx) => {
    const { count } = await tx.segreteria.deleteMany({ where: { bodyId, personId } });
    if (!count)
      throw new RequestRejected(404, 'ruolo_assente', "La persona non è nella segreteria dell'organo.");
    await tx.auditEvent.create({ data: staffAudit(ctx.actor, 'staff.segreteria_removed', personId, bodyId) });
  });
}
