/**
 * What every route declares about who may call it, in its options: `config: { access: ... }`.
 *
 * - `'public'`: anyone, signed in or not (sign-in pages, /healthz, the accessibility statement, static files,
 *   and pages opened with an e-mail token, which check the token themselves).
 * - `'signed-in'`: any signed-in person; the handler shows only what is theirs (profile, own tokens, lists
 *   filtered through the policy).
 * - `{ action, on }`: the policy (domain/policy.ts) must allow `action` on the record the request names.
 *   `on` says where that record comes from: `'ambito'` (the `ambito` query parameter, else the person's own
 *   ambito), `'body'` (`:id`, or `bodyId` / `body` in the body or query), `'meeting'` (`:id`, its body),
 *   `'deliverable'` (`:id`, its ambito), `'message'` (`:id`, the ambito of its recipient or meeting).
 *
 * A route without a declaration is refused by a test that walks the route table (tests/auth/routes.test.ts).
 */
import type { Action, Principal } from '../../domain/policy';

export type TargetFrom = 'ambito' | 'body' | 'meeting' | 'deliverable' | 'message';

export type RouteAccess = 'public' | 'signed-in' | { action: Action; on: TargetFrom };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** Check the CSRF token even without a session cookie (the sign-in forms: no signing in a victim as someone else). */
    csrf?: boolean;
  }
}

/** The signed-in person, set on every request by the auth plugin (null when anonymous). */
export interface Viewer {
  personId: string;
  fullName: string;
  email: string;
  /** The person's roles, read from the data for this request. */
  principal: Principal;
  /** Set when an API token acted: its name, for the audit. */
  tokenName: string | null;
  /** Set when a browser session carried the request (sign-out ends it). */
  sessionId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | null;
  }
}
