/**
 * Sign-in by e-mail link over real HTTP and real SMTP: the neutral answer, the single-use link that a mail
 * scanner's GET does not consume, and every way a link can be wrong (expired, reused, tampered), each with
 * its Italian page and no session. Then the session itself: a new id at each sign-in, sign-out, sign-out
 * everywhere, idle expiry, and CSRF on forms.
 */
import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../api/auth/sessions';
import { hashToken } from '../../notifications/answers/tokens';
import { COORDINATORE } from '../support/auth';
import { signInByEmail, signInLinkFor, visitor } from '../support/sign-in';
import { useAuthWorld } from './support';

const world = useAuthWorld({ copies: 1 });
const PANDINO = 'sindaco.pandino@example.org';

/** Asks for a link for `email` and returns the visitor and the link's secret. */
async function askForLink(email: string) {
  const browser = visitor(world.url);
  const since = Date.now() - 1000;
  await browser.request('/accesso');
  const page = await browser.request('/accesso', { form: { email, _csrf: browser.csrf } });
  expect(page.status).toBe(200);
  const link = new URL(await signInLinkFor(world.catcher.mailbox, email, since));
  return { browser, path: link.pathname, secret: link.pathname.split('/').pop()! };
}

async function press(browser: ReturnType<typeof visitor>, secret: string) {
  return browser.request('/accesso/link', { form: { link: secret, _csrf: browser.csrf } });
}

const sessions = (personId: string) => world.db.authSession.count({ where: { personId } });

describe('asking for a link', () => {
  it('answers the same page whether the address is registered or not, and mails only a registered one', async () => {
    const browser = visitor(world.url);
    await browser.request('/accesso');
    const before = world.catcher.mailbox.list().length;
    const known = await browser.request('/accesso', {
      form: { email: 'responsabile-udp@example.org', _csrf: browser.csrf },
    });
    const unknown = await browser.request('/accesso', {
      form: { email: 'nessuno@example.org', _csrf: browser.csrf },
    });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const body = (html: string) => html.replace(/name=['"]_csrf['"] value=['"][^'"]+['"]/g, '');
    expect(body(await unknown.text())).toBe(body(await known.text()));
    await signInLinkFor(world.catcher.mailbox, 'responsabile-udp@example.org');
    expect(world.catcher.mailbox.list().length).toBe(before + 1);
    const failed = await world.db.auditEvent.findMany({ where: { action: 'auth.sign_in_failed' } });
    expect(failed.some((e) => JSON.stringify(e.data).includes('unknown_address'))).toBe(true);
    expect(JSON.stringify(failed)).not.toContain('nessuno@example.org');
  });

  it('refuses a form that did not come from the sign-in page (no CSRF token), sending nothing', async () => {
    const before = world.catcher.mailbox.list().length;
    const response = await visitor(world.url).request('/accesso', { form: { email: COORDINATORE } });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Il modulo è scaduto o non proviene da questo servizio');
    expect(world.catcher.mailbox.list().length).toBe(before);
  });

  it('stores only the hash of the link, valid 15 minutes', async () => {
    const { secret } = await askForLink('presidente-csc@example.org');
    const row = await world.db.signInLink.findUniqueOrThrow({ where: { tokenHash: hashToken(secret) } });
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(15 * 60_000);
  });

  it('sends at most one message a minute to an address, and answers a flood with 429', async () => {
    const email = 'sindaco.crema@example.org';
    const browser = visitor(world.url);
    await browser.request('/accesso');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await browser.request('/accesso', { form: { email, _csrf: browser.csrf } })).status);
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    await signInLinkFor(world.catcher.mailbox, email);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(world.catcher.mailbox.list().filter((m) => m.to.includes(email))).toHaveLength(1);
  });
});

describe('using the link', () => {
  it('signs in only when the button is pressed: a scanner opening the link consumes nothing', async () => {
    const { browser, path, secret } = await askForLink(COORDINATORE);
    const personId = await world.personId(COORDINATORE);
    const before = await sessions(personId);
    const scanner = visitor(world.url);
    for (let i = 0; i < 3; i++) expect((await scanner.request(path)).status).toBe(200);
    const page = await browser.request(path);
    expect(await page.text()).toContain('Coordinatore dell&#x27;Ufficio di Piano (segnaposto)');
    expect(await sessions(personId)).toBe(before);
    const signedIn = await press(browser, secret);
    expect(signedIn.status).toBe(303);
    // Security headers on every answer: no inline script may run, no framing.
    const csp = signedIn.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(signedIn.headers.get('set-cookie')).toMatch(/sessione=gs_[^;]+;.*HttpOnly.*SameSite=Lax/i);
    expect(signedIn.headers.get('location')).toBe('/');
    expect(browser.cookies.get(SESSION_COOKIE)).toMatch(/^gs_/);
    expect(await sessions(personId)).toBe(before + 1);
    const me = await browser.request('/api/v1/me');
    expect(((await me.json()) as { persona: { email: string } }).persona.email).toBe(COORDINATORE);
  });

  it('works once: pressing again, or opening it again, says it was used and starts no session', async () => {
    const { browser, path, secret } = await askForLink('sindaco.capergnanica@example.org');
    expect((await press(browser, secret)).status).toBe(303);
    const personId = await world.personId('sindaco.capergnanica@example.org');
    const count = await sessions(personId);
    const other = visitor(world.url);
    const reopened = await other.request(path);
    expect(reopened.status).toBe(410);
    expect(await reopened.text()).toContain('Collegamento già usato');
    await other.request('/accesso');
    const again = await press(other, secret);
    expect(again.status).toBe(410);
    expect(other.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(await sessions(personId)).toBe(count);
  });

  it('refuses an expired link with its own page', async () => {
    const { browser, path, secret } = await askForLink('sindaco.vaiano-cremasco@example.org');
    await world.db.signInLink.update({
      where: { tokenHash: hashToken(secret) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const page = await browser.request(path);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('Collegamento scaduto');
    expect((await press(browser, secret)).status).toBe(410);
    expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it('refuses a tampered link', async () => {
    const { browser, path, secret } = await askForLink('sindaco.bagnolo-cremasco@example.org');
    const tampered = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    const page = await browser.request(path.replace(secret, tampered));
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('Collegamento non valido');
    expect((await press(browser, tampered)).status).toBe(404);
    expect((await press(browser, 'x')).status).toBe(404);
    expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it("signs a person of another ambito into their own ambito only: the Cremasco's records stay closed", async () => {
    const foreign = await signInByEmail(world.url, world.catcher.mailbox, 'coordinatore-udp+c1@example.org');
    const cremasco = await world.db.body.findFirstOrThrow({
      where: { code: 'comitato-ristretto', ambito: { code: 'cremasco' } },
    });
    const change = await foreign.request(`/api/v1/bodies/${cremasco.id}/rules`, {
      method: 'PATCH',
      json: { minutes: { required: true, deadlineDays: 20 } },
    });
    expect(change.status).toBe(403);
    const bodies = await foreign.request('/api/v1/bodies?ambito=cremasco');
    expect(bodies.status).toBe(403);
    const own = await foreign.request('/api/v1/bodies');
    expect(((await own.json()) as { bodies: unknown[] }).bodies).toHaveLength(13);
  });
});

describe('the session', () => {
  it('gets a new id at every sign-in, ends on sign-out, and a kept cookie no longer works', async () => {
    const browser = await signInByEmail(world.url, world.catcher.mailbox, 'sindaco.offanengo@example.org');
    const planted = browser.cookies.get(SESSION_COOKIE)!;
    // The same browser signs in again (as someone else): the session id is never reused.
    const { secret } = await askForLink('sindaco.ripalta-cremasca@example.org');
    await browser.request('/accessibilita');
    expect((await press(browser, secret)).status).toBe(303);
    const current = browser.cookies.get(SESSION_COOKIE)!;
    expect(current).not.toBe(planted);
    expect(
      ((await (await browser.request('/api/v1/me')).json()) as { persona: { email: string } }).persona.email,
    ).toBe('sindaco.ripalta-cremasca@example.org');

    await browser.request('/accessibilita');
    const out = await browser.request('/esci', { form: { _csrf: browser.csrf } });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/accesso?uscito=1');
    const replay = visitor(world.url);
    replay.cookies.set(SESSION_COOKIE, current);
    expect((await replay.request('/api/v1/me')).status).toBe(401);
  });

  it('ends every session of the person with "esci da tutti i dispositivi"', async () => {
    const email = 'sindaco.pianengo@example.org';
    const laptop = await signInByEmail(world.url, world.catcher.mailbox, email);
    const personId = await world.personId(email);
    // A second device: a session made the same way, a minute later in real life.
    const phone = visitor(world.url);
    await world.db.signInLink.deleteMany({ where: { personId } });
    const again = await signInByEmail(world.url, world.catcher.mailbox, email);
    phone.cookies.set(SESSION_COOKIE, again.cookies.get(SESSION_COOKIE)!);
    await laptop.request('/accessibilita');
    expect((await laptop.request('/esci/ovunque', { form: { _csrf: laptop.csrf } })).status).toBe(303);
    expect((await phone.request('/api/v1/me')).status).toBe(401);
    expect(await world.db.authSession.count({ where: { personId, revokedAt: null } })).toBe(0);
  });

  it('expires after 12 hours without a request', async () => {
    const email = 'sindaco.izano@example.org';
    const browser = await signInByEmail(world.url, world.catcher.mailbox, email);
    const session = await world.db.authSession.findFirstOrThrow({
      where: { personId: await world.personId(email) },
    });
    await world.db.authSession.update({
      where: { id: session.id },
      data: { lastSeenAt: new Date(Date.now() - 12 * 3600_000 - 60_000) },
    });
    expect((await browser.request('/api/v1/me')).status).toBe(401);
    const page = await browser.request(`/organi/${(await world.db.body.findFirstOrThrow()).id}`);
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/accesso\?ritorno=%2Forgani%2F/);
  });

  it('refuses a form posted with the session cookie but without its CSRF token', async () => {
    const browser = await signInByEmail(
      world.url,
      world.catcher.mailbox,
      'sindaco.trescore-cremasco@example.org',
    );
    const forged = await browser.request('/esci', { form: {} });
    expect(forged.status).toBe(403);
    expect((await browser.request('/api/v1/me')).status).toBe(200);
  });

  it('brings an anonymous visitor back to the page they asked for after signing in', async () => {
    const body = await world.db.body.findFirstOrThrow({
      where: { code: 'assemblea-sindaci', ambito: { code: 'cremasco' } },
    });
    const browser = visitor(world.url);
    const asked = await browser.request(`/organi/${body.id}`);
    expect(asked.status).toBe(303);
    const signIn = asked.headers.get('location')!;
    await browser.request(signIn);
    const returnTo = new URL(signIn, world.url).searchParams.get('ritorno')!;
    const since = Date.now() - 1000;
    await browser.request('/accesso', { form: { email: PANDINO, ritorno: returnTo, _csrf: browser.csrf } });
    const link = new URL(await signInLinkFor(world.catcher.mailbox, PANDINO, since));
    await browser.request(link.pathname);
    const done = await press(browser, link.pathname.split('/').pop()!);
    expect(done.headers.get('location')).toBe(`/organi/${body.id}`);
    expect((await browser.request(`/organi/${body.id}`)).status).toBe(200);
    // A mayor has no ambito-wide role: the home page sends them to their own meetings.
    const home = await browser.request('/');
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/mie-riunioni');
    const mine = await browser.request('/mie-riunioni');
    expect(mine.status).toBe(200);
    expect(await mine.text()).toContain('Le mie riunioni');
  });
});
