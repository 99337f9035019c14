import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import layoutPlugin from '../../api/layout/plugin';
import { createTestDatabase, type TestDatabase } from '../../tests/support/database';
import { createOutbox } from '../outbox/outbox';
import { createMailer } from '../transport';
import { issueAnswerLinks, issueAnswerLinksToAll } from './answers';
import { createAnswering } from './answering';
import { answerPagesPlugin } from './plugin';
import { hashToken } from './tokens';

const SECRET = 'test-secret-test-secret-test-secret-0123';
const BASE = 'https://governance.example.org';
let db: TestDatabase;
let app: FastifyInstance;
let meetingId: string;
let personId: string;
const signals: unknown[] = [];
let now = new Date('2027-03-01T10:00:00Z');

beforeAll(async () => {
  db = await createTestDatabase();
  const ambito = await db.prisma.ambito.create({ data: { code: 'test', name: 'Ambito di prova' } });
  const body = await db.prisma.body.create({
    data: {
      ambitoId: ambito.id,
      code: 'cr',
      name: 'Comitato Ristretto',
      kind: 'comitato_ristretto',
      convenerRole: 'Coordinatore',
      rules: {},
    },
  });
  const meeting = await db.prisma.meeting.create({
    data: {
      bodyId: body.id,
      plannedDateKey: '2027-03-09',
      startsAt: new Date('2027-03-09T17:00:00Z'),
      endsAt: new Date('2027-03-09T19:00:00Z'),
      place: 'Sala degli Ostaggi, Crema',
    },
  });
  const person = await db.prisma.person.create({
    data: { fullName: 'Gianluigi D’Ambrosio', email: 'sindaco@sergnano.example.org' },
  });
  // A seat that allows a delegate: only who answers for a seat may name one.
  const seat = await db.prisma.seat.create({
    data: { bodyId: body.id, code: 'sindaco:sergnano', role: 'Sindaco di Sergnano', designatedBy: 'Comune' },
  });
  await db.prisma.membership.create({
    data: { seatId: seat.id, personId: person.id, validFrom: new Date('2026-01-01') },
  });
  meetingId = meeting.id;
  personId = person.id;
  app = Fastify();
  await app.register(layoutPlugin, { db: db.prisma, feedbackEmail: 'udp@example.org' });
  // The meeting stays planned, so nothing is sent: the mailer points nowhere.
  const outbox = createOutbox({
    db: db.prisma,
    mailer: createMailer({ smtpUrl: 'smtp://127.0.0.1:9' }),
    from: 'udp@example.org',
  });
  const answering = createAnswering({
    db: db.prisma,
    outbox,
    secret: SECRET,
    baseUrl: BASE,
    onAnswer: async (notice) => void signals.push(notice),
  });
  await app.register(answerPagesPlugin, { db: db.prisma, answering, now: () => now.getTime() });
});
afterAll(async () => {
  await app?.close();
  await db?.cleanup();
});

const tokenOf = (url: string) => new URL(url).pathname.split('/').pop()!;

describe('answer links', () => {
  it('issues stable links per meeting and person, storing only the token hash', async () => {
    const first = await issueAnswerLinks(db.prisma, SECRET, {
      meetingId,
      personId,
      expiresAt: '2027-03-09T19:00:00Z',
      baseUrl: BASE,
    });
    const again = await issueAnswerLinks(db.prisma, SECRET, {
      meetingId,
      personId,
      expiresAt: '2027-03-16T19:00:00Z',
      baseUrl: BASE,
    });
    expect(again).toEqual(first);
    expect(first.present).toMatch(
      /^https:\/\/governance\.example\.org\/risposta\/[A-Za-z0-9_-]{43}\?scelta=presente$/,
    );
    const rows = await db.prisma.invitation.findMany({ where: { meetingId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(hashToken(tokenOf(first.present)));
    expect(JSON.stringify(rows[0])).not.toContain(tokenOf(first.present));
    expect(rows[0]!.tokenExpiresAt.toISOString()).toBe('2027-03-16T19:00:00.000Z'); // moved by the reschedule
  });

  it('issues the links of a whole convocation in one call: new invitations, and the same links for those who had one', async () => {
    const { bodyId } = await db.prisma.meeting.findUniqueOrThrow({ where: { id: meetingId } });
    const other = await db.prisma.meeting.create({
      data: {
        bodyId,
        plannedDateKey: '2027-04-13',
        startsAt: new Date('2027-04-13T16:00:00Z'),
        endsAt: new Date('2027-04-13T18:00:00Z'),
      },
    });
    const newcomer = await db.prisma.person.create({
      data: { fullName: 'Sindaco di Ricengo', email: 'sindaco@ricengo.example.org' },
    });
    const earlier = await issueAnswerLinks(db.prisma, SECRET, {
      meetingId: other.id,
      personId,
      expiresAt: '2027-04-13T18:00:00Z',
      baseUrl: BASE,
    });
    const links = await issueAnswerLinksToAll(db.prisma, SECRET, {
      meetingId: other.id,
      personIds: [personId, newcomer.id, newcomer.id],
      expiresAt: '2027-04-20T18:00:00Z',
      baseUrl: BASE,
    });
    expect([...links.keys()].sort()).toEqual([personId, newcomer.id].sort());
    expect(links.get(personId)).toEqual(earlier);
    const rows = await db.prisma.invitation.findMany({ where: { meetingId: other.id } });
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.tokenExpiresAt.toISOString()).toBe('2027-04-20T18:00:00.000Z');
    const newRow = rows.find((r) => r.personId === newcomer.id)!;
    expect(newRow.tokenHash).toBe(hashToken(tokenOf(links.get(newcomer.id)!.present)));
    expect(links.get(newcomer.id)).not.toEqual(earlier);
  });
  it('GET shows the meeting in Italian with the choice preselected and changes nothing', async () => {
    const links = await issueAnswerLinks(db.prisma, SECRET, {
      meetingId,
      personId,
      expiresAt: '2027-03-16T19:00:00Z',
      baseUrl: BASE,
    });
    const page = await app.inject(links.absent.replace(BASE, ''));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="it">');
    expect(page.body).toContain('Comitato Ristretto');
    expect(page.body).toContain('martedì 9 marzo 2027, ore 18:00');
    expect(page.body).toMatch(/value="assente" checked/);
    expect(page.body).not.toMatch(/<script/i);
    const row = await db.prisma.invitation.findFirstOrThrow({ where: { meetingId, personId } });
    expect(row.answer).toBeNull();
  });

  it('POST stores the answer at once and audits it; a second answer replaces the first and is audited with what it replaced', async () => {
    const links = await issueAnswerLinks(db.prisma, SECRET, {
      meetingId,
      personId,
      expiresAt: '2027-03-16T19:00:00Z',
      baseUrl: BASE,
    });
    const url = `/risposta/${tokenOf(links.present)}`;
    const form = (body: string) =>
      app.inject({
        method: 'POST',
        url,
        payload: body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });

    const present = await form('scelta=presente');
    // Post/Redirect/Get: the confirmation has its own address, so a reload does not answer again.
    expect(present.statusCode).toBe(303);
    expect(present.headers.location).toBe(`${url}?registrata`);
    const confirmation = await app.inject(present.headers.location as string);
    expect(confirmation.statusCode).toBe(200);
    expect(confirmation.body).toContain('Grazie, risposta registrata:</strong> Sarò presente');
    let row = await db.prisma.invitation.findFirstOrThrow({ where: { meetingId, personId } });
    expect(row.answer).toBe('present');

    const delegate = await form(
      'scelta=delegato&nome_delegato=Maria+Rossi&email_delegato=maria.rossi%40sergnano.example.org',
    );
    expect(delegate.statusCode).toBe(303);
    row = await db.prisma.invitation.findFirstOrThrow({ where: { meetingId, personId } });
    expect(row).toMatchObject({
      answer: 'delegate',
      delegateName: 'Maria Rossi',
      delegateEmail: 'maria.rossi@sergnano.example.org',
    });

    const audit = await db.prisma.auditEvent.findMany({
      where: { entity: 'Invitation', entityId: row.id },
      orderBy: { at: 'asc' },
    });
    expect(audit.map((a) => a.action)).toEqual(['invitation.answered', 'invitation.answer_replaced']);
    // The delegate is registered and invited to this meeting (the meeting is still planned: the convocation
    // will include them, nothing is sent now).
    const maria = await db.prisma.person.findUniqueOrThrow({
      where: { email: 'maria.rossi@sergnano.example.org' },
    });
    expect(row.delegatePersonId).toBe(maria.id);
    expect(await db.prisma.invitation.count({ where: { meetingId, personId: maria.id } })).toBe(1);
    expect(await db.prisma.outboxMessage.count()).toBe(0);
    expect(audit[1]!.data).toMatchObject({ answer: 'delegate', previous: { answer: 'present' } });
    expect(signals).toEqual([
      { meetingId, personId, answer: 'present' },
      { meetingId, personId, answer: 'delegate' },
    ]);
  });

  it('a delegate without a valid e-mail is refused with the field named in Italian, and nothing changes', async () => {
    const links = await issueAnswerLinks(db.prisma, SECRET, {
      meetingId,
      personId,
      expiresAt: '2027-03-16T19:00:00Z',
      baseUrl: BASE,
    });
    const before = await db.prisma.invitation.findFirstOrThrow({ where: { meetingId, personId } });
    const auditBefore = await db.prisma.auditEvent.count();
    const response = await app.inject({
      method: 'POST',
      url: `/risposta/${tokenOf(links.present)}`,
      payload: 'scelta=delegato&nome_delegato=%3Cscript%3Ex%3C%2Fscript%3E&email_delegato=non-valida',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Indicare un indirizzo e-mail valido per il delegato');
    expect(response.body).toContain('&lt;script&gt;x&lt;/script&gt;'); // echoed back, escaped
    expect(response.body).not.toContain('<script>x');
    expect(await db.prisma.invitation.findFirstOrThrow({ where: { meetingId, personId } })).toEqual(before);
    expect(await db.prisma.auditEvent.count()).toBe(auditBefore);
  });

  it('unknown tokens get 404 and expired ones 410, without storing anything', async () => {
    expect((await app.inject('/risposta/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).statusCode).toBe(404);
    expect((await app.inject('/risposta/x')).statusCode).toBe(404);
    const links = await issueAnswerLinks(db.prisma, SECRET, {
      meetingId,
      personId,
      expiresAt: '2027-03-16T19:00:00Z',
      baseUrl: BASE,
    });
    now = new Date('2027-03-17T00:00:00Z');
    try {
      const expired = await app.inject({
        method: 'POST',
        url: `/risposta/${tokenOf(links.absent)}`,
        payload: 'scelta=assente',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(expired.statusCode).toBe(410);
      expect(expired.body).toContain('Collegamento scaduto');
      expect((await db.prisma.invitation.findFirstOrThrow({ where: { meetingId, personId } })).answer).toBe(
        'delegate',
      );
    } finally {
      now = new Date('2027-03-01T10:00:00Z');
    }
  });
});
