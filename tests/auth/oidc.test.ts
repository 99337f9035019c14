/**
 * Sign-in with OpenID Connect against a real, certified OpenID provider (`oidc-provider`) on loopback: the
 * authorization code flow with PKCE, state and nonce, as a Keycloak or Entra ID would run it. The provider's
 * login screen is the one part replaced: it signs in whichever account the test names next (its
 * `/interaction` route), because what is tested is our side of the protocol, not a login form.
 */
import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../api/auth/sessions';
import { freePort } from '../../prisma/free-port';
import { COORDINATORE } from '../support/auth';
import { visitor } from '../support/sign-in';
import { useAuthWorld } from './support';

interface Account {
  sub: string;
  email: string;
  email_verified: boolean;
}
const accounts = new Map<string, Account>();
let nextLogin = '';
let issuer = '';
let server: Server;

beforeAll(async () => {
  issuer = `http://127.0.0.1:${await freePort()}`;
});
const world = useAuthWorld({
  env: () => ({
    OIDC_ISSUER_URL: issuer,
    OIDC_CLIENT_ID: 'governance',
    OIDC_CLIENT_SECRET: 'segreto-del-client-di-prova',
  }),
});

beforeAll(async () => {
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'governance',
        client_secret: 'segreto-del-client-di-prova',
        redirect_uris: [`${world.url}/accesso/oidc/ritorno`],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    features: { devInteractions: { enabled: false } },
    cookies: { keys: ['chiave-dei-cookie-del-provider-di-prova'] },
    pkce: { required: () => true },
    ttl: {
      Interaction: 600,
      Grant: 600,
      Session: 600,
      AccessToken: 600,
      IdToken: 600,
      AuthorizationCode: 60,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      return account ? { accountId: sub, claims: () => ({ ...account }) } : undefined;
    },
  });
  const callback = provider.callback();
  server = createServer(async (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return callback(req, res);
    // The stand-in for the provider's login and consent screens: the account named by the test signs in.
    const details = await provider.interactionDetails(req, res);
    const grant = new provider.Grant({ accountId: nextLogin, clientId: details.params.client_id as string });
    grant.addOIDCScope('openid email');
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: nextLogin }, consent: { grantId: await grant.save() } },
      { mergeWithLastSubmission: false },
    );
  });
  await new Promise<void>((resolve) => server.listen(Number(new URL(issuer).port), '127.0.0.1', resolve));
  accounts.set('kc-coordinatore', { sub: 'kc-coordinatore', email: COORDINATORE, email_verified: true });
  accounts.set('kc-sconosciuto', {
    sub: 'kc-sconosciuto',
    email: 'nessuno@example.org',
    email_verified: true,
  });
  accounts.set('kc-non-verificato', {
    sub: 'kc-non-verificato',
    email: 'sindaco.pandino@example.org',
    email_verified: false,
  });
});
afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/**
 * Runs the flow for `account` up to the provider's redirect back to us; `tamper` may change the authorization
 * request (as a hostile page could) before the browser follows it. Returns the app's browser and the callback.
 */
async function throughProvider(account: string, tamper: (url: URL) => void = () => {}) {
  nextLogin = account;
  const app = visitor(world.url);
  const idp = visitor(issuer);
  const start = await app.request('/accesso/oidc?ritorno=/accessibilita');
  expect(start.status).toBe(303);
  const authorize = new URL(start.headers.get('location')!);
  expect(authorize.origin).toBe(issuer);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  tamper(authorize);
  let next = authorize.href;
  for (let hops = 0; new URL(next).origin === issuer; hops++) {
    expect(hops).toBeLessThan(10);
    const response = await idp.request(next);
    next = new URL(response.headers.get('location')!, issuer).href;
  }
  return { app, callback: new URL(next) };
}

describe('sign-in with OpenID Connect', () => {
  it('signs in a registered person matched by verified e-mail, then by the stored subject', async () => {
    const { app, callback } = await throughProvider('kc-coordinatore');
    expect(callback.pathname).toBe('/accesso/oidc/ritorno');
    const back = await app.request(callback.pathname + callback.search);
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/accessibilita');
    expect(app.cookies.get(SESSION_COOKIE)).toMatch(/^gs_/);
    const me = (await (await app.request('/api/v1/me')).json()) as { persona: { email: string } };
    expect(me.persona.email).toBe(COORDINATORE);
    const person = await world.db.person.findUniqueOrThrow({ where: { email: COORDINATORE } });
    expect(person.oidcSubject).toBe('kc-coordinatore');

    // The provider now sends another address for the same subject: the stored subject still matches.
    accounts.set('kc-coordinatore', {
      sub: 'kc-coordinatore',
      email: 'altro@example.org',
      email_verified: false,
    });
    const again = await throughProvider('kc-coordinatore');
    expect((await again.app.request(again.callback.pathname + again.callback.search)).status).toBe(303);
    expect(again.app.cookies.has(SESSION_COOKIE)).toBe(true);
    const audit = await world.db.auditEvent.findMany({
      where: { action: 'auth.signed_in', actor: `person:${person.id}` },
    });
    expect(audit.filter((e) => (e.data as { method: string }).method === 'oidc')).toHaveLength(2);
  });

  it('refuses an identity that matches no registered person, with a clear page and no session', async () => {
    const { app, callback } = await throughProvider('kc-sconosciuto');
    const back = await app.request(callback.pathname + callback.search);
    expect(back.status).toBe(403);
    expect(await back.text()).toContain('Identità non registrata');
    expect(app.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(await world.db.person.count({ where: { email: 'nessuno@example.org' } })).toBe(0);
  });

  it('does not match by an e-mail the provider has not verified', async () => {
    const { app, callback } = await throughProvider('kc-non-verificato');
    expect((await app.request(callback.pathname + callback.search)).status).toBe(403);
    expect(app.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it('refuses an answer whose state is not the one sent', async () => {
    const { app, callback } = await throughProvider('kc-coordinatore');
    callback.searchParams.set('state', 'stato-falsificato');
    const back = await app.request(callback.pathname + callback.search);
    expect(back.status).toBe(400);
    expect(await back.text()).toContain('Accesso non riuscito');
    expect(app.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it('refuses an ID token whose nonce is not the one sent', async () => {
    const { app, callback } = await throughProvider('kc-coordinatore', (url) =>
      url.searchParams.set('nonce', 'nonce-sostituito-da-una-pagina-ostile'),
    );
    const back = await app.request(callback.pathname + callback.search);
    expect(back.status).toBe(400);
    expect(app.cookies.has(SESSION_COOKIE)).toBe(false);
    const failed = await world.db.auditEvent.findMany({ where: { action: 'auth.sign_in_failed' } });
    expect(failed.map((e) => JSON.stringify(e.data)).join('\n')).toMatch(/nonce/i);
  });
});
