/**
 * People of an ambito: find, add, edit, and put the real person in a placeholder's place. The JSON routes
 * (api/people/routes.ts), the Persone page (pages.ts) and the spreadsheet import (import/) call these; each
 * write is checked against the ambito (tenancy), audited on the person, and done in one transaction.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { readClock, type Clock } from '../../domain/index';
import type { Database, Prisma } from '../../prisma/client';
import { heldOn } from '../../prisma/membership-days';
import type { Answering } from '../../notifications/answers/answering';
import { resolveAmbito } from '../ambiti/resolve';
import { personInAmbito } from '../auth/tenancy';
import { RequestRejected } from '../errors';
import { actorOf } from '../temporal';
import type { PeopleQuery, PersonInput } from './schemas';

type Tx = Prisma.TransactionClient;

export interface PeopleContext {
  db: Database;
  actor: string;
  ambitoId: string;
  now: Date;
  /**
   * Sends the convocation of a meeting already convened to whoever takes a placeholder's invitation to it
   * (notifications/answers/answering.ts); absent (the API without mail), they see the meeting signed in.
   */
  latecomers?: Latecomers;
}

export type Latecomers = Pick<Answering, 'convokeLatecomer' | 'convokeSeat' | 'deliverLate'>;

/**
 * The people plugins' options: who sends late convocations (the service's answering, when mail runs), and
 * the API's clock (buildServer's), which seats and meetings are judged current on.
 */
export interface PeopleOptions {
  latecomers?: Latecomers;
  now?: Clock;
}

/** The context of a request acting on people: the ambito it names (`?ambito=`) or the person's own. */
export async function peopleContext(
  db: Database,
  request: FastifyRequest,
  ambitoCode: string | undefined,
  options: PeopleOptions,
): Promise<PeopleContext> {
  const ambito = await resolveAmbito(db, ambitoCode, request.viewer);
  return contextIn(request, ambito.id, options);
}

/** The context of a request acting on the people of `ambitoId`. */
export async function contextIn(
  request: FastifyRequest,
  ambitoId: string,
  { latecomers, now }: PeopleOptions,
): Promise<PeopleContext> {
  return {
    db: request.server.db,
    actor: actorOf(request),
    ambitoId,
    now: new Date(await readClock(now)),
    latecomers,
  };
}

/**
 * Whom the Persone page lists and may edit: people of the ambito (tenancy.ts), its Ufficio di Piano, and
 * the staff of organisations above every ambito (ATS), whom any ambito may seat and must be able to enter.
 */
export const listedIn = (ambitoId: string): Prisma.PersonWhereInput => ({
  OR: [personInAmbito(ambitoId), { udpOf: { some: { ambitoId } } }, { organisation: { ambitoId: null } }],
});

/**
 * Whom an ambito may seat, delegate or name to a role: its people (listedIn), and people of no ambito at all
 * (no organisation, seat or Ufficio di Piano yet). Never another ambito's: once seated here they would be
 * this ambito's to edit, address included.
 */
export const takenInBy = (ambitoIds: string[]): Prisma.PersonWhereInput => ({
  OR: [
    ...ambitoIds.map(listedIn),
    { organisationId: null, memberships: { none: {} }, delegateFor: { none: {} }, udpOf: { none: {} } },
  ],
});

const seatOfMembership = {
  select: { id: true, role: true, code: true, body: { select: { id: true, name: true } } },
} as const;

/** What the list and a person's page show of a person: addresses, organisation, seats and roles today. */
const personShown = (ambitoId: string, now: Date) =>
  ({
    id: true,
    fullName: true,
    email: true,
    pecEmail: true,
    isPlaceholder: true,
    organisationId: true,
    organisation: { select: { id: true, name: true } },
    memberships: { where: heldOn(now), select: { seat: seatOfMembership } },
    delegateFor: {
      where: heldOn(now),
      select: { seat: seatOfMembership, person: { select: { id: true, fullName: true } } },
    },
    udpOf: { where: { ambitoId }, select: { ambitoId: true } },
  }) satisfies Prisma.PersonSelect;

/** The organisations a person of the ambito may belong to: its own, and those above every ambito (ATS). */
export function organisationsOf(db: Database | Tx, ambitoId: string) {
  return db.organisation.findMany({
    where: { OR: [{ ambitoId }, { ambitoId: null }] },
    orderBy: [{ kind: 'asc' }, { name: 'asc' }],
    select: { id: true, name: true, kind: true, comuneId: true },
  });
}

/** People of the ambito matching the search (name, address, organisation), with their seats and roles. */
export async function listPeople(db: Database, ambitoId: string, query: PeopleQuery, now: Date) {
  const q = query.q ?? '';
  const contains = { contains: q, mode: 'insensitive' as const };
  const people = await db.person.findMany({
    where: {
      AND: [
        listedIn(ambitoId),
        q
          ? {
              OR: [
                { fullName: contains },
                { email: contains },
                { pecEmail: contains },
                { organisation: { name: contains } },
              ],
            }
          : {},
        query.segnaposto ? { isPlaceholder: query.segnaposto === 'si' } : {},
      ],
    },
    orderBy: [{ isPlaceholder: 'asc' }, { fullName: 'asc' }],
    take: 500,
    select: personShown(ambitoId, now),
  });
  // A placeholder already replaced holds nothing: it is history, not someone to enter.
  const replaced = (p: (typeof people)[number]) =>
    p.isPlaceholder && !p.memberships.length && !p.delegateFor.length && !p.udpOf.length;
  return people
    .filter((p) => !replaced(p))
    .map(({ memberships, delegateFor, udpOf, ...person }) => ({
      ...person,
      seats: memberships.map((m) => m.seat),
      delegateOf: delegateFor.map((m) => m.seat),
      ufficioDiPiano: udpOf.length > 0,
    }));
}

/** One person of the ambito, or 404 (a person of another ambito does not exist for this one). */
export async function personOf(db: Database | Tx, ambitoId: string, personId: string, now: Date) {
  const person = !z.uuid().safeParse(personId).success
    ? null
    : await db.person.findFirst({
        where: { AND: [{ id: personId }, listedIn(ambitoId)] },
        select: personShown(ambitoId, now),
      });
  if (!person) {
    throw new RequestRejected(404, 'persona_sconosciuta', 'Nessuna persona con questo identificativo.', [
      { field: 'personId', message: 'persona sconosciuta' },
    ]);
  }
  return person;
}

/** The organisation chosen for a person, refused unless it is one the ambito may use. */
async function checkOrganisation(tx: Tx, ambitoId: string, organisationId: string) {
  const found = await tx.organisation.findFirst({
    where: { id: organisationId, OR: [{ ambitoId }, { ambitoId: null }] },
    select: { id: true },
  });
  if (!found) {
    throw new RequestRejected(400, 'richiesta_non_valida', 'Organizzazione sconosciuta in questo ambito.', [
      { field: 'organisationId', message: 'organizzazione sconosciuta in questo ambito' },
    ]);
  }
}

const addressTaken = () =>
  new RequestRejected(409, 'indirizzo_in_uso', 'L’indirizzo e-mail è già di un’altra persona.', [
    { field: 'email', message: 'indirizzo già usato da un’altra persona' },
  ]);

/**
 * Writes a person's row. The address is looked up first, but a request with the same address at the same
 * moment (a double submit) can take it in between: the unique key then decides, and the loser gets the same
 * 409 instead of a 500. A person's only other unique column (the OIDC subject) is never written here.
 */
async function addressFree<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002') throw addressTaken();
    throw err;
  }
}

/** The fields of `input` that differ from the stored person, as { from, to } for the audit and the preview. */
export function changedFields(
  before: Pick<PersonInput, keyof PersonInput>,
  input: PersonInput,
): Partial<Record<keyof PersonInput, { from: string | null; to: string | null }>> {
  const keys = ['fullName', 'email', 'pecEmail', 'organisationId'] as const;
  return Object.fromEntries(
    keys.filter((k) => before[k] !== input[k]).map((k) => [k, { from: before[k], to: input[k] }]),
  );
}

export async function createPerson(ctx: PeopleContext, input: PersonInput) {
  return ctx.db.$transaction(async (tx) => {
    await checkOrganisation(tx, ctx.ambitoId, input.organisationId);
    if (await tx.person.findUnique({ where: { email: input.email }, select: { id: true } }))
      throw addressTaken();
    const person = await addressFree(tx.person.create({ data: input }));
    await tx.auditEvent.create({
      data: {
        actor: ctx.actor,
        action: 'person.created',
        entity: 'person',
        entityId: person.id,
        data: input,
      },
    });
    return person;
  });
}

/**
 * Saves what changed of a person of the ambito. A real person's new address takes effect for the messages
 * enqueued from then on; those already queued keep theirs (as a change of one's own profile does).
 */
export async function updatePerson(ctx: PeopleContext, personId: string, input: PersonInput) {
  return ctx.db.$transaction(async (tx) => {
    const before = await personOf(tx, ctx.ambitoId, personId, ctx.now);
    await checkOrganisation(tx, ctx.ambitoId, input.organisationId);
    const taken = await tx.person.findFirst({
      where: { email: input.email, id: { not: personId } },
      select: { id: true },
    });
    if (taken) throw addressTaken();
    const changed = changedFields({ ...before, organisationId: before.organisationId ?? '' }, input);
    if (Object.keys(changed).length === 0) return { person: before, changed };
    const person = await addressFree(tx.person.update({ where: { id: personId }, data: input }));
    await tx.auditEvent.create({
      data: {
        actor: ctx.actor,
        action: 'person.updated',
        entity: 'person',
        entityId: personId,
        data: changed,
      },
    });
    return { person, changed };
  });
}

/**
 * Replaces a placeholder with the real person: the one with the address given (their name, PEC and
 * organisation updated) or a new one. See movePlaceholder for what follows them.
 */
export async function replacePlaceholder(ctx: PeopleContext, placeholderId: string, input: PersonInput) {
  return ctx.db
    .$transaction(
      async (tx) => {
        const placeholder = await personOf(tx, ctx.ambitoId, placeholderId, ctx.now);
        if (!placeholder.isPlaceholder) {
          throw new RequestRejected(
            409,
            'non_segnaposto',
            'Solo un segnaposto può essere sostituito: per cambiare il titolare di un seggio usare la pagina dell’organo o l’importazione.',
          );
        }
        await checkOrganisation(tx, ctx.ambitoId, input.organisationId);
        const existing = await tx.person.findUnique({ where: { email: input.email } });
        if (existing?.id === placeholderId || existing?.isPlaceholder) {
          throw new RequestRejected(
            400,
            'richiesta_non_valida',
            'Indicare l’indirizzo della persona reale.',
            [{ field: 'email', message: 'è l’indirizzo di un segnaposto' }],
          );
        }
        if (existing)
          await personOf(tx, ctx.ambitoId, existing.id, ctx.now).catch(() => {
            throw addressTaken();
          });
        const target = await addressFree(
          existing
            ? tx.person.update({ where: { id: existing.id }, data: input })
            : tx.person.create({ data: input }),
        );
        if (!existing)
          await tx.auditEvent.create({
            data: {
              actor: ctx.actor,
              action: 'person.created',
              entity: 'person',
              entityId: target.id,
              data: input,
            },
          });
        const { moved, convocationKeys } = await movePlaceholder(tx, ctx, placeholderId, target);
        return { person: target, moved, convocationKeys };
      },
      { timeout: 20_000 },
    )
    .then(async ({ convocationKeys, ...replaced }) => {
      await ctx.latecomers?.deliverLate(convocationKeys);
      return replaced;
    });
}

export interface MovedRecords {
  seats: number;
  delegations: number;
  invitations: number;
  messages: number;
  roles: number;
  deliverables: number;
  /** Convocations of meetings already convened, sent to the person now (none without `latecomers`). */
  convocations: number;
}

/**
 * Everything a placeholder stands for passes to the real person, in the caller's transaction, audited on
 * both: current seats and standing delegations, invitations to meetings not yet ended (so reminders,
 * updates and the verbale reach the person, and their answer links keep working; for a meeting already
 * convened the person gets the convocation now, through `latecomers`), messages not yet sent
 * (queued, or failed and waiting for «riprova»: they leave once, from the same outbox row, to the new
 * address), the Ufficio di Piano and segreteria roles, and the deliverables it owned. Its past stays with
 * it (the roll calls of meetings held, messages sent): the placeholder row is kept, holding nothing.
 */
export async function movePlaceholder(
  tx: Tx,
  ctx: Pick<PeopleContext, 'actor' | 'now' | 'latecomers'>,
  placeholderId: string,
  target: { id: string; fullName: string; email: string; pecEmail: string | null },
): Promise<{ moved: MovedRecords; convocationKeys: string[] }> {
  const to = target.id;
  const current = heldOn(ctx.now);
  // A seat the person already holds stays theirs once; the placeholder's duplicate goes.
  const held = new Set(
    (await tx.membership.findMany({ where: { personId: to, ...current }, select: { seatId: true } })).map(
      (m) => m.seatId,
    ),
  );
  const seats = await tx.membership.findMany({ where: { personId: placeholderId, ...current } });
  const duplicate = seats.filter((m) => held.has(m.seatId)).map((m) => m.id);
  await tx.membership.deleteMany({ where: { id: { in: duplicate } } });
  await tx.membership.updateMany({
    where: { id: { in: seats.filter((m) => !held.has(m.seatId)).map((m) => m.id) } },
    data: { personId: to },
  });
  const delegations = await tx.membership.updateMany({
    where: { delegatePersonId: placeholderId, ...current },
    data: { delegatePersonId: to },
  });

  const upcoming: Prisma.InvitationWhereInput = {
    meeting: { endsAt: { gt: ctx.now }, status: { in: ['planned', 'convened'] } },
  };
  const invited = new Set(
    (await tx.invitation.findMany({ where: { personId: to, ...upcoming }, select: { meetingId: true } })).map(
      (i) => i.meetingId,
    ),
  );
  // Where the person is invited already, the placeholder's invitation stays its own (and unused).
  const taken = { personId: placeholderId, ...upcoming, meetingId: { notIn: [...invited] } };
  const takenMeetings = (await tx.invitation.findMany({ where: taken, select: { meetingId: true } })).map(
    (i) => i.meetingId,
  );
  const invitations = await tx.invitation.updateMany({ where: taken, data: { personId: to } });
  // The placeholder's convocations went to an address nobody reads: the person gets their own now.
  const convocationKeys: string[] = [];
  for (const meetingId of takenMeetings) {
    const key = await ctx.latecomers?.convokeLatecomer(tx, meetingId, target);
    if (key) convocationKeys.push(key);
  }

  const unsent: Prisma.OutboxMessageWhereInput = {
    personId: placeholderId,
    status: { in: ['queued', 'failed'] },
  };
  const recipient = { recipientName: target.fullName, personId: to };
  const byPec = await tx.outboxMessage.updateMany({
    where: { ...unsent, channel: 'pec' },
    data: { ...recipient, recipientEmail: target.pecEmail ?? target.email },
  });
  const byEmail = await tx.outboxMessage.updateMany({
    where: { ...unsent, channel: 'email' },
    data: { ...recipient, recipientEmail: target.email },
  });

  const udp = await tx.ufficioDiPianoMember.findMany({ where: { personId: placeholderId } });
  await tx.ufficioDiPianoMember.createMany({
    data: udp.map((u) => ({ ambitoId: u.ambitoId, personId: to })),
    skipDuplicates: true,
  });
  await tx.ufficioDiPianoMember.deleteMany({ where: { personId: placeholderId } });
  const segreterie = await tx.segreteria.findMany({ where: { personId: placeholderId } });
  await tx.segreteria.createMany({
    data: segreterie.map((s) => ({ bodyId: s.bodyId, personId: to })),
    skipDuplicates: true,
  });
  await tx.segreteria.deleteMany({ where: { personId: placeholderId } });
  const deliverables = await tx.deliverable.updateMany({
    where: { ownerPersonId: placeholderId, status: 'open' },
    data: { ownerPersonId: to },
  });

  const moved: MovedRecords = {
    seats: seats.length,
    delegations: delegations.count,
    invitations: invitations.count,
    messages: byPec.count + byEmail.count,
    roles: udp.length + segreterie.length,
    deliverables: deliverables.count,
    convocations: convocationKeys.length,
  };
  const data = { placeholderId, personId: to, moved: { ...moved } };
  await tx.auditEvent.createMany({
    data: [
      {
        actor: ctx.actor,
        action: 'person.placeholder_replaced',
        entity: 'person',
        entityId: placeholderId,
        data,
      },
      { actor: ctx.actor, action: 'person.replaced_placeholder', entity: 'person', entityId: to, data },
    ],
  });
  return { moved, convocationKeys };
}
