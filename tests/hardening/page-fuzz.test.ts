/**
 * Fuzzing the pages people use with JavaScript off, against the real stack (Postgres, Temporal worker): the
 * district's coordinator; a mayor, signed in or opening an answer link without signing in; and ATS, who
 * convenes a Cabina di Regia and reads its attendance. The test follows the links from the home page and
 * every page without parameters (and from the answer link), reads each form it finds
 * (tests/hardening/fuzz/forms.ts) and sends it back changed: hostile values, a field missing, keys nobody
 * expects, another record, a body the route cannot read.
 *
 * Properties, for every request: never a 5xx, never a hang; no markup it was sent comes back unescaped; a
 * refusal (4xx) is an Italian page, not JSON, and changes nothing (a checksum of every table before and
 * after). Forms about the coordinator or ATS themselves are left out, so the run keeps its access to the end.
 * Seeded and bounded like the API's fuzzer: `FUZZ_SEED=<n>` replays a run, FUZZ_REQUESTS raises the count.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requestSignInLink } from '../../api/auth/email-link';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { issueAnswerLinks } from '../../notifications/answers/answers';
import { answerPagesPlugin } from '../../notifications/answers/plugin';
import { createOutbox, type Outbox } from '../../notifications/outbox/outbox';
import { createAttendanceFixture } from '../../reports/fixture';
import { useApiWorld } from '../api/support';
import { actAs } from '../support/auth';
import { signInLinkFor } from '../support/sign-in';
import { createDeliverable } from '../workflows/fixture';
import { ANSWER_LINK_SECRET } from '../workflows/harness';
import { crawl, formRequests, type Form } from './fuzz/forms';
import { databaseState, fuzz, interleave, summary } from './fuzz/harness';

const world = useApiWorld('page-fuzz');

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const MAX_REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 600);
/** Wall-clock budget for the requests: the run stops early rather than slow the suite down. */
const BUDGET_MS = 30_000;
const MAX_PAGES = 80;

/** The service's pages with the mayors' answer page, which the service registers beside the API. */
let app: FastifyInstance;
/** Real mail for the sign-in links, through the stack's mail catcher. */
let outbox: Outbox;
beforeAll(async () => {
  const { stack } = world;
  const now = () => stack.env.currentTimeMs();
  outbox = createOutbox({
    db: stack.db.prisma,
    mailer: stack.mailer,
    from: 'Ufficio di Piano <udp@example.org>',
  });
  app = await buildServer({
    db: stack.db.prisma,
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    governance: stack.gc,
    now,
    answering: stack.answering,
    outbox,
    plugins: [
      async (scope) => {
        await scope.register(answerPagesPlugin, { db: stack.db.prisma, answering: stack.answering, now });
      },
    ],
  });
});
afterAll(() => app?.close());

it('never answers 5xx or hangs; every refusal is an Italian page, echoes no markup and changes nothing', async () => {
  console.log(`fuzz pagine: FUZZ_SEED=${SEED}`);
  const { coordinator } = world;
  const start = app.routeTable
    .filter((r) => [r.method].flat().includes('GET') && !/[:*]/.test(r.url) && !r.url.startsWith('/api/'))
    .map((r) => r.url);
  // A meeting with its agenda, so the seduta's page and its forms (agenda, documents, convocation,
  // attendance, verbale) are among those reached, whether or not a page links to it.
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/meetings',
    headers: coordinator,
    payload: {
      bodyId: world.district.bodies.cr,
      startsAt: '2027-03-09T18:00:00+01:00',
      endsAt: '2027-03-09T20:00:00+01:00',
      place: 'Sala Giunta, Comune di Crema',
      agenda: [{ title: 'Piano Operativo: linee di indirizzo' }, { title: 'Varie ed eventuali' }],
    },
  });
  expect(created.statusCode).toBe(201);
  const meetingId = created.json<{ meeting: { id: string } }>().meeting.id;
  const seduta = `/sedute/${meetingId}`;
  // And a deliverable, for the forms of its page (submit, approve, extend, waive).
  const deliverable = await createDeliverable(
    world.stack.db.prisma,
    world.district.ambitoId,
    'report_annuale',
    '2026',
    '2027-04-30',
  );
  const scadenza = `/scadenze/${deliverable.id}`;
  // A mayor's answer link, opened without signing in, as from the convocation.
  const links = await issueAnswerLinks(world.stack.db.prisma, ANSWER_LINK_SECRET, {
    meetingId,
    personId: world.district.people.sindaco1!,
    expiresAt: '2027-03-09T19:00:00Z',
    baseUrl: 'http://localhost',
  });
  const risposta = new URL(links.present).pathname;
  // A sign-in link as the e-mail brings it: its page, and the button that uses it up. Dated by the real
  // clock, as the sign-in routes judge it (they are not on the time-skipping clock).
  const since = Date.now();
  await requestSignInLink(
    world.stack.db.prisma,
    { outbox, baseUrl: 'http://localhost', district: 'Ambito di Prova' },
    { email: 'sindaco2@example.org', returnTo: null, now: new Date() },
  );
  const accesso = new URL(await signInLinkFor(world.stack.catcher.mailbox, 'sindaco2@example.org', since))
    .pathname;
  const asCoordinator = await crawl(app, coordinator, ['/', seduta, scadenza, ...start], MAX_PAGES);
  // Without signing in: the answer link and the sign-in forms.
  const byLink = await crawl(app, {}, [risposta, '/accesso', accesso], MAX_PAGES);
  // The same mayor signed in: their own meetings, their answer there, their profile.
  const mayor = await actAs(world.stack.db.prisma, 'sindaco1@example.org');
  const asMayor = await crawl(
    app,
    mayor,
    ['/mie-riunioni', `/mie-riunioni/${meetingId}`, '/profilo'],
    MAX_PAGES,
  );
  // ATS, who convenes a Cabina di Regia with a year of roll calls: the attendance report and its sessions.
  const cabina = await createAttendanceFixture(world.stack.db.prisma, 'fuzz');
  const ats = cabina.people.elena;
  const atsHeaders = await actAs(world.stack.db.prisma, ats.email);
  const presenze = `/presenze?body=${cabina.bodyId}&from=2027-01-01&to=2027-12-31`;
  const asAts = await crawl(
    app,
    atsHeaders,
    ['/', presenze, `/sedute/${cabina.meetings.may}`, `/sedute/${cabina.meetings.dec}`],
    MAX_PAGES,
  );
  const pages = [...asCoordinator.pages, ...byLink.pages, ...asMayor.pages, ...asAts.pages];
  /** A crawl's forms, sent as the person who crawled; `self`: forms about that person stay out. */
  const sentAs = (crawled: { forms: Form[] }, headers: Record<string, string>, self?: string) =>
    crawled.forms.filter((form) => !self || !form.action.includes(self)).map((form) => ({ form, headers }));
  const fuzzed = [
    ...sentAs(asCoordinator, coordinator, world.district.people.coordudp!),
    ...sentAs(byLink, { cookie: byLink.cookie }),
    ...sentAs(asMayor, mayor),
    ...sentAs(asAts, atsHeaders, ats.id),
  ];
  const perForm = Math.max(3, Math.floor(MAX_REQUESTS / Math.max(1, fuzzed.length)));
  const requests = interleave(
    fuzzed.map(({ form, headers }, i) =>
      fc
        .sample(formRequests(form), { seed: SEED + i, numRuns: perForm })
        .map((request) => ({ ...request, headers })),
    ),
  );
  const run = await fuzz({
    app,
    db: world.stack.db.prisma,
    requests,
    budgetMs: BUDGET_MS,
    send: (request) => ({
      method: request.method,
      url: request.url,
      headers: {
        ...request.headers,
        accept: 'text/html',
        ...(request.contentType ? { 'content-type': request.contentType } : {}),
      },
      ...(request.payload !== undefined ? { payload: request.payload } : {}),
    }),
    problems: (request, { body }) =>
      request.markup
        .filter((markup) => body.includes(markup))
        .map((markup) => `mostra ${markup} senza escape`),
    refusalProblems: ({ headers, body }) =>
      String(headers['content-type']).startsWith('text/html') && /<html lang="it"/.test(body)
        ? []
        : ['non è una pagina in italiano'],
  });
  console.log(`fuzz pagine: ${pages.length} pagine, ${fuzzed.length} moduli, ${summary(run)}`);
  expect(pages).toEqual(expect.arrayContaining([seduta, scadenza, expect.stringContaining(risposta)]));
  expect(pages).toContain(`/mie-riunioni/${meetingId}`);
  expect(byLink.forms.map((form) => form.method)).toContain('POST');
  expect(byLink.pages).toContain(accesso);
  expect(byLink.forms.map((form) => form.action)).toContain('/accesso/link');
  expect(asMayor.forms.map((form) => form.action)).toContain(`/mie-riunioni/${meetingId}/risposta`);
  expect(asAts.pages).toEqual(expect.arrayContaining([presenze, `/sedute/${cabina.meetings.may}`]));
  expect(asAts.forms.map((form) => form.action)).toContain('/presenze');
  expect([asCoordinator, byLink, asMayor, asAts].flatMap((crawled) => crawled.serverErrors)).toEqual([]);
  expect(pages.length).toBeGreaterThan(8);
  expect(fuzzed.length).toBeGreaterThan(8);
  expect(run.tried).toBeGreaterThanOrEqual(Math.min(requests.length, fuzzed.length * 3));
  expect(run.serverErrors).toEqual([]);
  expect(run.violations).toEqual([]);
}, 150_000);

it('answers the refusals it once found as 500s with the Italian 404 or 414 page, changing nothing', async () => {
  const { coordinator } = world;
  const { sum } = await databaseState(world.stack.db.prisma);
  const before = await sum();
  const rules =
    'cadence.nth=1&cadence.weekday=4&cadence.onHoliday=next-working-day&cadence.time=18%3A00&' +
    'cadence.durationMinutes=120&notice.ordinaryFreeDays=5&notice.urgentHours=24&minutes.deadlineDays=30&' +
    'quorum.numerator=1&quorum.denominator=2&azione=salva';
  const unknown = (digit: string) =>
    `${digit.repeat(8)}-${digit.repeat(4)}-4${digit.repeat(3)}-8${digit.repeat(3)}-${digit.repeat(12)}`;
  const cases: [url: string, form: string, status: number][] = [
    [`/organi/${encodeURIComponent('%zz')}/regole`, rules, 404],
    [
      `/organi/${encodeURIComponent('..%2f')}/incarichi/${encodeURIComponent('..%2f')}/fine`,
      'validTo=2026-12-01',
      404,
    ],
    [`/sedute/${unknown('1')}/punti`, 'title=Punto&description=', 404],
    [`/sedute/${unknown('2')}/annulla`, 'reason=', 404],
    [`/persone/${'x'.repeat(300)}`, 'fullName=Mario+Rossi', 414],
    [`/mie-riunioni/${encodeURIComponent('%')}/risposta`, 'scelta=assente', 404],
  ];
  for (const [url, form, status] of cases) {
    const answer = await app.inject({
      method: 'POST',
      url,
      headers: { ...coordinator, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: form,
    });
    expect(answer.statusCode, url).toBe(status);
    expect(answer.headers['content-type'], url).toMatch(/^text\/html/);
    expect(answer.body, url).toMatch(/<html lang="it"/);
  }
  expect(await sum()).toBe(before);
});
