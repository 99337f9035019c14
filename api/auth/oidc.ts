/**
 * Sign-in with OpenID Connect: the district's Keycloak or Microsoft Entra ID, or SPID/CIE through a broker
 * that speaks OIDC to us (Keycloak with the SPID provider, SATOSA). Authorization code flow with PKCE;
 * state and nonce are checked by openid-client against the values kept in a short-lived signed cookie.
 *
 * An identity signs in only as a person already registered: matched by the subject stored at an earlier
 * sign-in, else by an e-mail the provider says is verified (then the subject is stored). Nobody is created.
 */
import * as client from 'openid-client';
import type { Database } from '../../prisma/client';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The button's label on the sign-in page, e.g. "Entra con SPID o CIE". */
  label: string;
  /** Accept `email` without `email_verified` (providers whose addresses the organisation manages, Entra ID). */
  trustEmail: boolean;
}

/** The values a sign-in attempt must find again on return (kept in a signed, 10-minute cookie). */
export interface OidcAttempt {
  verifier: string;
  state: string;
  nonce: string;
  returnTo: string | null;
}

export type OidcOutcome =
  { ok: true; personId: string } | { ok: false; reason: 'unknown_identity' | 'rejected'; detail: string };

export function createOidcClient(settings: OidcSettings, redirectUri: string) {
  let discovered: Promise<client.Configuration> | null = null;
  /** Discovery happens at first use and is retried after a failure (the provider may start after us). */
  const configuration = () => {
    discovered ??= client
      .discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, {
        // Plain http is allowed only for a provider on this machine (tests, a local Keycloak).
        execute: isLoopback(settings.issuer) ? [client.allowInsecureRequests] : [],
      })
      .catch((error: unknown) => {
        discovered = null;
        throw error;
      });
    return discovered;
  };

  return {
    /** Where to send the browser, and what to remember until it comes back. */
    async begin(returnTo: string | null): Promise<{ url: string; attempt: OidcAttempt }> {
      const config = await configuration();
      const attempt: OidcAttempt = {
        verifier: client.randomPKCECodeVerifier(),
        state: client.randomState(),
        nonce: client.randomNonce(),
        returnTo,
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(attempt.verifier),
        code_challenge_method: 'S256',
        state: attempt.state,
        nonce: attempt.nonce,
      });
      return { url: url.href, attempt };
    },

    /** Checks the provider's answer (state, nonce, PKCE, ID token) and finds the registered person. */
    async complete(db: Database, callbackUrl: URL, attempt: OidcAttempt): Promise<OidcOutcome> {
      let claims: { sub: string; email?: unknown; email_verified?: unknown };
      try {
        const config = await configuration();
        const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: attempt.verifier,
          expectedState: attempt.state,
          expectedNonce: attempt.nonce,
          idTokenExpected: true,
        });
        const idToken = tokens.claims()!;
        // Some providers put the e-mail only in the UserInfo answer (for the same subject, checked).
        claims =
          idToken.email === undefined
            ? await client.fetchUserInfo(config, tokens.access_token, idToken.sub)
            : idToken;
      } catch (error) {
        // The audit says which check failed (state, nonce, issuer...): openid-client wraps the precise error.
        const inner = (error as Error).cause;
        const detail =
          inner instanceof Error ? `${(error as Error).message}: ${inner.message}` : (error as Error).message;
        return { ok: false, reason: 'rejected', detail };
      }
      const bySubject = await db.person.findUnique({
        where: { oidcSubject: claims.sub },
        select: { id: true },
      });
      if (bySubject) return { ok: true, personId: bySubject.id };
      const email = typeof claims.email === 'string' ? claims.email : null;
      const verified = claims.email_verified === true || settings.trustEmail;
      if (!email || !verified) {
        return { ok: false, reason: 'unknown_identity', detail: 'subject unknown and no verified e-mail' };
      }
      const byEmail = await db.person.findFirst({
        where: { email: { equals: email, mode: 'insensitive' }, oidcSubject: null },
        select: { id: true },
      });
      if (!byEmail) return { ok: false, reason: 'unknown_identity', detail: 'no person with this e-mail' };
      await db.person.update({ where: { id: byEmail.id }, data: { oidcSubject: claims.sub } });
      return { ok: true, personId: byEmail.id };
    },
  };
}

export type OidcClient = ReturnType<typeof createOidcClient>;

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}
