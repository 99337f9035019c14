/**
 * Answering a convocation: one operation behind every door (the answer page opened from the e-mail,
 * /risposta/<token>; Le mie riunioni's form and its JSON route, signed in).
 *
 * - The answer can change until the session starts; a cancelled session takes none.
 * - "Invierò un delegato" names a one-meeting delegate, only for a seat that allows one (Seat.allowsDelegate)
 *   and only by whom answers for a seat: a delegate does not name another. The delegate is found by e-mail
 *   among the registered people, or registered then (without an organisation: typing an address must not
 *   hand anybody an organisation's roles), and gets an invitation of their own, which lets them sign in and
 *   read that meeting (domain/policy.ts, role `invitee`).
 * - The delegate gets the convocation. If it has already gone out, it is stored in the outbox in the same
 *   transaction as the answer (so a crash loses neither) and delivered at once; if not, the meeting
 *   workflow's convocation includes the delegate (activities/meetings.ts, sendConvocations). Both use the
 *   convocation's own idempotency key, so the delegate gets it exactly once.
 * - A delegate who is no longer named (another one is, or the member answers for themselves) loses the
 *   invitation and, if the convocation had reached them, is told so, with a calendar cancellation.
 */
import { convocationRequest, convokedAmong, meetingForMessages } from '../../activities/meetings';
import { RequestRejected } from '../../api/errors';
import type { Prisma, PrismaClient } from '../../prisma/client';
import { heldOn } from '../../prisma/membership-days';
import type { Outbox } from '../outbox/outbox';
import type { NotificationRequest } from '../outbox/request';
import { WORD_TO_CHOICE, issueAnswerLinks, type AnswerForm } from './answers';
import type { AnswerChoice } from './tokens';

export interface AnsweringDeps {
  db: PrismaClient;
  outbox: Outbox;
  /** The answer-link secret (tokens.ts): the delegate's convocation carries their own answer links. */
  secret: string;
  baseUrl: string;
  /** Called after an answer is stored, e.g. to signal the meeting workflow; its failure does not undo it. */
  onAnswer?: (notice: { meetingId: string; personId: string; answer: AnswerChoice }) => Promise<void>;
  log?: { warn(obj: unknown, message?: string): void };
}

/** Who answers, for which meeting, and how the audit names them (`answer-link:<id>`, `person:<id>`). */
export interface Answerer {
  meetingId: string;
  personId: string;
  actor: string;
}

/**
 * How many messages one invitation's answers may cause by naming and replacing one-meeting delegates (a
 * convocation to the one named, a withdrawal to the one replaced), whichever door they come through. The
 * addresses are whatever the member typed and the sender is the district's, so switching back and forth
 * must not make the service send without end. Ten serves a member who names someone, changes their mind
 * twice and names a third; answering for oneself is never refused, and can cause at most one more.
 */
export const MAX_DELEGATE_MESSAGES = 10;

const refusal = (status: number, code: string, field: string, message: string, sentence = message) =>
  new RequestRejected(status, code, sentence, [{ field, message }]);

/** The seat the person answers for on that day: as its holder or as its standing delegate. */
export async function seatHeld(
  db: Pick<PrismaClient, 'membership'>,
  bodyId: string,
  personId: string,
  day: Date,
) {
  const membership = await db.membership.findFirst({
    where: {
      seat: { bodyId },
      AND: [heldOn(day), { OR: [{ personId }, { delegatePersonId: personId }] }],
    },
    include: { seat: true },
    orderBy: { seat: { code: 'asc' } },
  });
  return membership?.seat ?? null;
}

/**
 * Holds the meeting's status until the answer's transaction ends. The convocation marks the meeting convened
 * and then reads the delegates named so far (activities/meetings.ts, sendConvocations); without this lock an
 * answer could read "planned", leave its delegate to the convocation, and commit only after that read, so
 * the delegate (or the withdrawal notice of the one replaced) would never be sent. With it, the convocation's
 * update waits for the answer's commit, or the answer reads "convened" and sends the copy itself.
 */
async function holdStatus(tx: Prisma.TransactionClient, meetingId: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM "Meeting" WHERE id = ${meetingId}::uuid FOR SHARE`;
}

/** Whether a member who answers for a seat has named the person their delegate for this meeting. */
async function namedDelegate(
  db: Pick<PrismaClient, 'invitation'>,
  meetingId: string,
  personId: string,
): Promise<boolean> {
  const named = await db.invitation.count({
    where: { meetingId, delegatePersonId: personId, answer: 'delegate' },
  });
  return named > 0;
}

const withdrawalKeyPrefix = (meetingId: string, personId: string) =>
  `delegation-withdrawn:${meetingId}:${personId}:`;

export function createAnswering(deps: AnsweringDeps) {
  const { db, outbox, secret, baseUrl } = deps;

  /** Why this person may not answer this meeting now, or the seat they answer for (null: invited without one). */
  async function check(who: Answerer, form: AnswerForm, now: Date) {
    const meeting = await db.meeting.findUnique({ where: { id: who.meetingId } });
    if (!meeting) throw new RequestRejected(404, 'non_trovata', 'Seduta non trovata.');
    if (meeting.status === 'cancelled')
      throw refusal(
        409,
        'seduta_annullata',
        'scelta',
        'la seduta è stata annullata',
        'La seduta è stata annullata.',
      );
    if (meeting.startsAt.getTime() <= now.getTime())
      throw refusal(
        409,
        'seduta_iniziata',
        'scelta',
        'la seduta è già iniziata',
        'La seduta è già iniziata: la risposta non si può più cambiare.',
      );
    const seat = await seatHeld(db, meeting.bodyId, who.personId, meeting.startsAt);
    // Without a seat on the day, only a one-meeting delegate answers. An invitation alone is not enough: a
    // holder replaced (or a standing delegate changed) after the convocation left keeps theirs, and its link.
    if (!seat && !(await namedDelegate(db, meeting.id, who.personId)))
      throw new RequestRejected(
        403,
        'non_convocato',
        'Non risulta tra i convocati di questa seduta: nel giorno della seduta non ricopre un seggio dell’organo né una delega per questa seduta.',
      );
    if (form.scelta === 'delegato') {
      if (!seat)
        throw refusal(
          409,
          'delega_non_ammessa',
          'scelta',
          'partecipa già come delegato: non può nominarne un altro',
        );
      if (!seat.allowsDelegate)
        throw refusal(409, 'delega_non_ammessa', 'scelta', `il seggio «${seat.role}» non ammette delegati`);
    }
    return meeting;
  }

  /** The delegate's person row: the registered one with that address, or a new one (audited). */
  async function delegatePerson(tx: Prisma.TransactionClient, who: Answerer, form: AnswerForm, now: Date) {
    const found = await tx.person.findFirst({
      where: { email: { equals: form.email_delegato, mode: 'insensitive' } },
    });
    if (found?.id === who.personId)
      throw refusal(
        400,
        'richiesta_non_valida',
        'email_delegato',
        'indicare un’altra persona, non sé stessi',
      );
    if (found) return found;
    const created = await tx.person.create({
      data: { fullName: form.nome_delegato, email: form.email_delegato.toLowerCase() },
    });
    await tx.auditEvent.create({
      data: {
        actor: who.actor,
        action: 'person.registered_as_delegate',
        entity: 'Person',
        entityId: created.id,
        data: { meetingId: who.meetingId },
        at: now,
      },
    });
    return created;
  }

  /** convokeLatecomer, also saying whether the convocation is a new message (created: 1) or was stored already. */
  async function enqueueLatecomer(
    tx: Prisma.TransactionClient,
    meetingId: string,
    person: { id: string; fullName: string; email: string },
  ): Promise<{ key: string; created: number } | null> {
    const meeting = await tx.meeting.findUniqueOrThrow({ where: { id: meetingId } });
    const links = await issueAnswerLinks(tx, secret, {
      meetingId,
      personId: person.id,
      expiresAt: meeting.endsAt.toISOString(),
      baseUrl,
    });
    if (meeting.status !== 'convened') return null;
    const loaded = await meetingForMessages(tx, baseUrl, meetingId);
    const request = convocationRequest(
      loaded,
      { personId: person.id, name: person.fullName, email: person.email },
      links,
      loaded.m.revision,
    );
    // A delegate named again after being told their delegation was withdrawn: the convocation they had is
    // void, so this one is a new message, under its own key.
    const withdrawals = await tx.outboxMessage.count({
      where: { idempotencyKey: { startsWith: withdrawalKeyPrefix(meetingId, person.id) } },
    });
    const convocation = withdrawals > 0 ? { ...request, key: `${request.key}:${withdrawals}` } : request;
    const { created } = await outbox.enqueue([convocation], tx);
    return { key: convocation.key, created };
  }

  /**
   * Someone who joins a meeting after its convocation left (a one-meeting delegate, the real person who
   * replaces a placeholder) gets their answer links and, if the meeting is convened, the convocation, stored
   * in the caller's transaction under the convocation's own key (so at most once per person and revision).
   * Returns that key to deliver after the commit, or null when the meeting's own convocation will include
   * them (still planned) or there is nothing to send (cancelled).
   */
  async function convokeLatecomer(
    tx: Prisma.TransactionClient,
    meetingId: string,
    person: { id: string; fullName: string; email: string },
  ): Promise<string | null> {
    return (await enqueueLatecomer(tx, meetingId, person))?.key ?? null;
  }

  /**
   * The seat changed hands (a successor, or a new standing delegate) while sessions of its body are convened
   * and not yet begun: whoever represents it on a session's day (in Europe/Rome, prisma/membership-days.ts)
   * and has not had that session's convocation gets it now, stored in the caller's transaction with the
   * change (convokeLatecomer, the convocation's own key), so neither is lost and nobody gets it twice. A
   * convocation at any revision counts as had. Sessions still planned are left to their own convocation, which
   * reads the seats when it leaves; should one leave while this transaction runs, the meeting workflow's next
   * step convenes whoever it missed (activities/meetings.ts, convokeNewcomers). Returns the keys to deliver
   * after the commit.
   */
  async function convokeSeat(tx: Prisma.TransactionClient, seatId: string, now: Date): Promise<string[]> {
    const seat = await tx.seat.findUniqueOrThrow({ where: { id: seatId }, select: { bodyId: true } });
    const meetings = await tx.meeting.findMany({
      where: { bodyId: seat.bodyId, status: 'convened', startsAt: { gt: now } },
      select: { id: true, startsAt: true },
      orderBy: { startsAt: 'asc' },
    });
    const keys: string[] = [];
    for (const meeting of meetings) {
      const held = await tx.membership.findFirst({
        where: { seatId, ...heldOn(meeting.startsAt) },
        include: { person: true, delegate: true },
      });
      if (!held) continue;
      const person = held.delegate ?? held.person;
      if ((await convokedAmong(tx, meeting.id, [person.id])).size > 0) continue;
      const key = await convokeLatecomer(tx, meeting.id, person);
      if (key) keys.push(key);
    }
    return keys;
  }

  /**
   * A one-meeting delegate no longer named (the delegator named someone else, or now answers for themselves)
   * loses their invitation, so no reminder or update reaches them; if the convocation had reached them, they
   * are told, with a calendar cancellation, stored in the caller's transaction. Nothing changes for someone
   * who still has a place at the meeting: a seat of their own, or another member's delegation. Returns the
   * message's key to deliver after the commit, and whether it is a new message.
   */
  async function withdrawDelegate(
    tx: Prisma.TransactionClient,
    meeting: { id: string; bodyId: string; startsAt: Date; status: string },
    delegateId: string,
    delegator: Answerer,
    now: Date,
  ): Promise<{ key: string; created: number } | null> {
    const namedByOthers = await tx.invitation.count({
      where: { meetingId: meeting.id, delegatePersonId: delegateId, personId: { not: delegator.personId } },
    });
    if (namedByOthers > 0 || (await seatHeld(tx, meeting.bodyId, delegateId, meeting.startsAt))) return null;
    const removed = await tx.invitation.deleteMany({
      where: { meetingId: meeting.id, personId: delegateId },
    });
    if (removed.count === 0) return null;
    const told = meeting.status === 'convened';
    await tx.auditEvent.create({
      data: {
        actor: delegator.actor,
        action: 'meeting.delegate_withdrawn',
        entity: 'meeting',
        entityId: meeting.id,
        data: { personId: delegateId, told },
        at: now,
      },
    });
    if (!told) return null;
    const [delegate, named] = await Promise.all([
      tx.person.findUniqueOrThrow({ where: { id: delegateId } }),
      tx.person.findUniqueOrThrow({ where: { id: delegator.personId } }),
    ]);
    const { m, common } = await meetingForMessages(tx, baseUrl, meeting.id);
    const request = {
      key: `${withdrawalKeyPrefix(m.id, delegateId)}${now.getTime()}`,
      kind: 'delegationWithdrawn',
      to: { name: delegate.fullName, email: delegate.email },
      data: { ...common, recipient: { name: delegate.fullName }, delegator: { name: named.fullName } },
      invite: { method: 'CANCEL', meetingId: m.id, revision: m.revision },
      meetingId: m.id,
      personId: delegateId,
    } satisfies NotificationRequest;
    const { created } = await outbox.enqueue([request], tx);
    return { key: request.key, created };
  }

  /**
   * Refuses an answer naming a delegate when the messages it causes would take the invitation's answers past
   * MAX_DELEGATE_MESSAGES. Called inside the answer's transaction, so a refusal rolls back everything it
   * stored (the delegate registered, the messages queued); the answer's INSERT ... ON CONFLICT on the
   * invitation (issueAnswerLinks) holds its row, so two answers of one invitation are counted one after the
   * other, and each sees the audit events the other committed.
   */
  async function withinDelegateQuota(tx: Prisma.TransactionClient, invitationId: string, messages: number) {
    const [{ sent }] = await tx.$queryRaw<[{ sent: number }]>`
      SELECT COALESCE(SUM((data->>'messages')::int), 0)::int AS sent FROM "AuditEvent"
      WHERE entity = 'Invitation' AND "entityId" = ${invitationId}`;
    if (sent + messages <= MAX_DELEGATE_MESSAGES) return;
    throw refusal(
      409,
      'troppi_cambi_delegato',
      'scelta',
      'il delegato per questa seduta è stato cambiato troppe volte: per un altro cambio rivolgersi alla segreteria dell’organo',
      'Il delegato per questa seduta è stato cambiato troppe volte: la risposta non è stata registrata. Si può ancora rispondere «presente» o «assente»; per nominare un altro delegato rivolgersi alla segreteria dell’organo.',
    );
  }

  /** Delivers messages stored with an answer; a failure leaves them to the outbox pump's retries. */
  async function deliverLate(stored: (string | null)[]): Promise<void> {
    const keys = stored.filter((key) => key !== null);
    if (keys.length === 0) return;
    await outbox
      .deliver({ keys })
      .then(() => undefined)
      .catch((err: unknown) => deps.log?.warn({ err }, 'late convocation stored, delivery deferred'));
  }

  /** Stores the answer (and names the delegate); returns the invitation as stored. */
  async function answer(who: Answerer, form: AnswerForm, now: Date) {
    const meeting = await check(who, form, now);
    const choice = WORD_TO_CHOICE[form.scelta];
    const expiresAt = meeting.endsAt.toISOString();
    const where = { meetingId_personId: { meetingId: meeting.id, personId: who.personId } };
    const { saved, convocationKey, withdrawalKey } = await db.$transaction(async (tx) => {
      await holdStatus(tx, meeting.id);
      // Read again under the lock: whether a withdrawn delegate must be told depends on it.
      const { status } = await tx.meeting.findUniqueOrThrow({ where: { id: meeting.id } });
      // A member may answer before the convocation has left: their invitation starts here.
      await issueAnswerLinks(tx, secret, {
        meetingId: meeting.id,
        personId: who.personId,
        expiresAt,
        baseUrl,
      });
      const before = await tx.invitation.findUniqueOrThrow({ where });
      const delegate = choice === 'delegate' ? await delegatePerson(tx, who, form, now) : null;
      const withdrawal =
        before.delegatePersonId && before.delegatePersonId !== delegate?.id
          ? await withdrawDelegate(tx, { ...meeting, status }, before.delegatePersonId, who, now)
          : null;
      const saved = await tx.invitation.update({
        where,
        data: {
          answer: choice,
          delegateName: delegate ? form.nome_delegato : null,
          delegateEmail: delegate ? form.email_delegato : null,
          delegatePersonId: delegate?.id ?? null,
          answeredAt: now,
        },
      });
      // Still planned: the workflow's convocation will include the delegate (sendConvocations).
      const convocation = delegate ? await enqueueLatecomer(tx, meeting.id, delegate) : null;
      const messages = (withdrawal?.created ?? 0) + (convocation?.created ?? 0);
      if (delegate && messages > 0) await withinDelegateQuota(tx, saved.id, messages);
      await tx.auditEvent.create({
        data: {
          actor: who.actor,
          action: before.answer ? 'invitation.answer_replaced' : 'invitation.answered',
          entity: 'Invitation',
          entityId: saved.id,
          data: {
            meetingId: meeting.id,
            answer: choice,
            delegate: delegate
              ? { name: form.nome_delegato, email: form.email_delegato, personId: delegate.id }
              : null,
            previous: before.answer
              ? {
                  answer: before.answer,
                  delegateName: before.delegateName,
                  delegateEmail: before.delegateEmail,
                  answeredAt: before.answeredAt?.toISOString(),
                }
              : null,
            // The messages this answer caused (withinDelegateQuota adds them up).
            ...(messages > 0 ? { messages } : {}),
          },
          at: now,
        },
      });
      return { saved, convocationKey: convocation?.key ?? null, withdrawalKey: withdrawal?.key ?? null };
    });
    await deliverLate([convocationKey, withdrawalKey]);
    await deps
      .onAnswer?.({ meetingId: meeting.id, personId: who.personId, answer: choice })
      .catch((err: unknown) => deps.log?.warn({ err }, 'answer stored, notification of the workflow failed'));
    return saved;
  }

  return { answer, convokeLatecomer, convokeSeat, deliverLate };
}

export type Answering = ReturnType<typeof createAnswering>;
