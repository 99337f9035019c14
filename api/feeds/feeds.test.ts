/**
 * Calendar feeds on real invites: the convocations are sent by the real meeting activities through the
 * outbox to a loopback SMTP catcher, the feeds are read over HTTP and parsed with node-ical (an independent
 * parser), and their events must carry the invites' UIDs, follow a reschedule and show a cancellation.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import ical, { type VEvent } from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atRome } from '../../domain/index';
import { icsLines } from '../../notifications/calendar';
import { actAs } from '../../tests/support/auth';
import { createTestDatabase, type TestDatabase } from '../../tests/support/database';
import { startMailActivities, type MailActivities } from '../../tests/support/mail-activities';
import { createDistrict, createMeeting, VIRTUAL_START, type District } from '../../tests/workflows/fixture';
import { buildServer } from '../server';

// The test's today, before its 2027 meetings whatever the real date: the feed's year back runs from it, and
// the changes are made as a meeting workflow would schedule them that day (activityNow reads the activity's
// scheduled time; called bare, it would judge the reschedule on the real clock).
const TODAY = Date.parse(VIRTUAL_START);
const onTheDay = new MockActivityEnvironment({ currentAttemptScheduledTimestampMs: TODAY });

describe('calendar feeds (GET /calendario/<token>.ics)', () => {
  let db: TestDatabase;
  let mail: MailActivities;
  let app: FastifyInstance;
  let district: District;
  let activities: MailActivities['activities'];
  const meetings: Record<'march' | 'april' | 'assembly', string> = { march: '', april: '', assembly: '' };
  const email = (key: string) => `${key}@example.org`;

  const issue = async (key: string, url = '/api/v1/feeds/me') => {
    const response = await app.inject({ method: 'POST', url, headers: await actAs(db.prisma, email(key)) });
    return {
      status: response.statusCode,
      body: response.json<{ token: string; url: string; webcal: string }>(),
    };
  };
  const fetchFeed = (token: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url: `/calendario/${token}.ics`, headers });
  const events = (ics: string) =>
    Object.values(ical.sync.parseICS(ics)).filter((c): c is VEvent => c?.type === 'VEVENT');
  const inviteUid = async (meetingId: string) => {
    const row = await db.prisma.outboxMessage.findFirstOrThrow({
      where: { idempotencyKey: { startsWith: `convocation:${meetingId}:` } },
    });
    return events(row.ics!)[0]!.uid;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    mail = await startMailActivities(db.prisma, 'feed-test-secret-feed-test-secret-123456');
    activities = mail.activities;
    district = await createDistrict(db.prisma);
    meetings.march = (await createMeeting(db.prisma, district.bodies.cr, '2027-03-09')).id;
    meetings.april = (await createMeeting(db.prisma, district.bodies.cr, '2027-04-13')).id;
    meetings.assembly = (await createMeeting(db.prisma, district.bodies.ads, '2027-04-20')).id;
    for (const id of Object.values(meetings)) await activities.sendConvocations(id, 0);
    app = await buildServer({ db: db.prisma, config: mail.config, now: () => TODAY });
    // The Comitato's coordinator is named its segreteria; the members' roles follow from their seats.
    await db.prisma.segreteria.create({
      data: { bodyId: district.bodies.cr, personId: district.people.coordcr! },
    });
  });
  afterAll(async () => {
    await app?.close();
    await mail?.close();
    await db?.cleanup();
  });

  it("a person's feed: their meetings with the invites' UIDs, in Europe/Rome with a VTIMEZONE, cacheable", async () => {
    const issued = await issue('sindaco2');
    expect(issued.status).toBe(201);
    expect(issued.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issued.body.url).toBe(`http://localhost:3000/calendario/${issued.body.token}.ics`);
    expect(issued.body.webcal).toBe(`webcal://localhost:3000/calendario/${issued.body.token}.ics`);
    expect(await db.prisma.feedToken.count({ where: { tokenHash: issued.body.token } })).toBe(0);

    const response = await fetchFeed(issued.body.token);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(response.headers['cache-control']).toBe('private, max-age=900');
    const lines = icsLines(response.body);
    expect(lines).toContain('BEGIN:VTIMEZONE');
    expect(lines).toContain('DTSTART;TZID=Europe/Rome:20270309T180000');
    const feed = events(response.body);
    expect(feed.map((e) => e.uid).sort()).toEqual(
      [await inviteUid(meetings.march), await inviteUid(meetings.april)].sort(),
    );

    const again = await fetchFeed(issued.body.token, { 'if-none-match': String(response.headers.etag) });
    expect(again.statusCode).toBe(304);
  });

  it('follows a reschedule (new time, higher SEQUENCE, new ETag) and keeps a cancelled meeting as CANCELLED', async () => {
    const { body } = await issue('sindaco2');
    const before = await fetchFeed(body.token);
    await onTheDay.run(activities.rescheduleMeeting, meetings.march, 1, {
      startsAt: atRome('2027-03-16', '17:30').toISO()!,
      endsAt: atRome('2027-03-16', '19:30').toISO()!,
    });
    await onTheDay.run(activities.cancelMeeting, meetings.april, 0, { reason: 'Sala non disponibile' }, true);

    const after = await fetchFeed(body.token, { 'if-none-match': String(before.headers.etag) });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    const byUid = new Map(events(after.body).map((e) => [e.uid, e]));
    const march = byUid.get(await inviteUid(meetings.march))!;
    expect(march.start.toISOString()).toBe('2027-03-16T16:30:00.000Z');
    expect(icsLines(after.body)).toContain('DTSTART;TZID=Europe/Rome:20270316T173000');
    expect(Number(march.sequence)).toBe(1);
    const april = byUid.get(await inviteUid(meetings.april))!;
    expect(april.status).toBe('CANCELLED');
    // The cancellation e-mail's invite names the same event.
    const cancellation = await db.prisma.outboxMessage.findFirstOrThrow({
      where: { idempotencyKey: { startsWith: `cancellation:${meetings.april}:` } },
    });
    expect(events(cancellation.ics!)[0]!.uid).toBe(april.uid);
  });

  it("a standing delegate's feed carries the meetings where they represent the holder", async () => {
    const { body } = await issue('assessore2');
    const feed = events((await fetchFeed(body.token)).body);
    expect(feed.map((e) => e.uid)).toContain(await inviteUid(meetings.march));
    expect(feed.map((e) => e.uid)).not.toContain(await inviteUid(meetings.assembly));
  });

  it('a new token revokes the old one, which then answers 404; unknown tokens too', async () => {
    const first = await issue('coordcr');
    expect((await fetchFeed(first.body.token)).statusCode).toBe(200);
    const second = await issue('coordcr');
    const revoked = await fetchFeed(first.body.token);
    expect(revoked.statusCode).toBe(404);
    expect(revoked.json().message).toMatch(/^Calendario non trovato/);
    expect((await fetchFeed(second.body.token)).statusCode).toBe(200);
    expect((await fetchFeed('x'.repeat(43))).statusCode).toBe(404);
    const audit = await db.prisma.auditEvent.findMany({ where: { action: 'feed.issued', entity: 'person' } });
    expect(JSON.stringify(audit)).not.toContain(first.body.token);
  });

  it("a body's feed is issued by whoever prepares its meetings, and shows all of them", async () => {
    const refused = await issue('sindaco2', `/api/v1/bodies/${district.bodies.cr}/feed`);
    expect(refused.status).toBe(403);
    const { status, body } = await issue('coordcr', `/api/v1/bodies/${district.bodies.cr}/feed`);
    expect(status).toBe(201);
    const response = await fetchFeed(body.token);
    expect(icsLines(response.body)).toContain('X-WR-CALNAME:Comitato Ristretto');
    expect(events(response.body)).toHaveLength(2);
  });
});

describe("a body's feed ends with its issuer's right to read the body", () => {
  let db: TestDatabase;
  let mail: MailActivities;
  let app: FastifyInstance;
  let district: District;
  const SEGRETARIA = 'segretaria.cr@example.org';

  beforeAll(async () => {
    db = await createTestDatabase();
    mail = await startMailActivities(db.prisma, 'feed-test-secret-feed-test-secret-654321');
    district = await createDistrict(db.prisma);
    await createMeeting(db.prisma, district.bodies.cr, '2027-03-09');
    app = await buildServer({ db: db.prisma, config: mail.config, now: () => TODAY });
  });
  afterAll(async () => {
    await app?.close();
    await mail?.close();
    await db?.cleanup();
  });

  const issueBodyFeed = async (email: string) => {
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/bodies/${district.bodies.cr}/feed`,
      headers: await actAs(db.prisma, email),
    });
    expect(response.statusCode).toBe(201);
    return response.json<{ token: string }>().token;
  };
  const status = async (token: string) =>
    (await app.inject({ method: 'GET', url: `/calendario/${token}.ics` })).statusCode;

  it('a segretaria who leaves the segreteria (and holds no seat) no longer reads it through her feed', async () => {
    // Named segreteria of the Comitato and nothing else: her only right to its meetings.
    const segretaria = await db.prisma.person.create({
      data: { fullName: 'Sara Segreteria', email: SEGRETARIA },
    });
    const role = await db.prisma.segreteria.create({
      data: { bodyId: district.bodies.cr, personId: segretaria.id },
    });
    const token = await issueBodyFeed(SEGRETARIA);
    expect(await status(token)).toBe(200);

    await db.prisma.segreteria.delete({ where: { id: role.id } });
    const gone = await app.inject({ method: 'GET', url: `/calendario/${token}.ics` });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ error: 'calendario_non_trovato' });
    expect(gone.body).not.toContain('BEGIN:VEVENT');

    // Named again, her feed answers again: it follows her right, it was not revoked.
    await db.prisma.segreteria.create({ data: { bodyId: district.bodies.cr, personId: segretaria.id } });
    expect(await status(token)).toBe(200);
  });

  it('an issuer who still reads the body (a member) keeps the feed; the next segreteria can replace it', async () => {
    const coordinator = await db.prisma.segreteria.create({
      data: { bodyId: district.bodies.cr, personId: district.people.coordcr! },
    });
    const token = await issueBodyFeed('coordcr@example.org');
    await db.prisma.segreteria.delete({ where: { id: coordinator.id } });
    // The coordinator holds a seat on the Comitato: its meetings are still hers to read.
    expect(await status(token)).toBe(200);
    const next = await issueBodyFeed(SEGRETARIA);
    expect([await status(token), await status(next)]).toEqual([404, 200]);
    // A feed whose issuer is not known (issued before issuers were recorded, and not found in the audit)
    // answers as a revoked one.
    await db.prisma.feedToken.updateMany({ where: { revokedAt: null }, data: { issuedById: null } });
    expect(await status(next)).toBe(404);
  });
});
