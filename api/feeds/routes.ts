/**
 * Calendar feeds (webcal):
 * - `GET /calendario/<token>.ics`: public, the token is the credential; 404 for an unknown or revoked one,
 *   and for a body's feed whose issuer may no longer read the body (left its segreteria, lost the seat or
 *   the role): the token is their credential, and outliving their right would keep showing the meetings
 *   (times, places, online links, reasons for cancelling) to whoever they gave it to.
 *   `ETag` from the content and `Cache-Control: private, max-age=900` so clients poll cheaply
 *   (`If-None-Match` answers 304).
 * - `POST /api/v1/feeds/me`: the signed-in person's feed; a new token revokes the old one.
 * - `POST /api/v1/bodies/:id/feed`: a body's feed, for those who prepare its meetings.
 * Both answer the token once, with the https and webcal addresses.
 */
import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../domain/policy';
import { loadPrincipal } from '../auth/principal';
import { domainOf } from '../../notifications/outbox/message-id';
import { RequestRejected } from '../errors';
import { signedInViewer } from '../../reports/access';
import { actorOf, type GovernanceOptions } from '../temporal';
import { readClock } from '../../domain/index';
import { feedIcs, feedMeetings } from './feed';
import { feedOwner, issueFeedToken } from './tokens';

const FeedFile = z.object({ file: z.string().max(200) });
const BodyParams = z.object({ id: z.uuid({ message: "atteso l'identificativo (UUID) di un organo" }) });

const NOT_FOUND =
  'Calendario non trovato: il collegamento è sbagliato, è stato sostituito da uno nuovo o chi lo ha creato non ha più accesso all’organo.';

type BodyWithAmbiti = { id: string; ambitoId: string; spansAmbiti: { ambitoId: string }[] };
const bodyTarget = (body: BodyWithAmbiti) => ({
  kind: 'body' as const,
  bodyId: body.id,
  ambitoIds: [body.ambitoId, ...body.spansAmbiti.map((s) => s.ambitoId)],
});

/** `now`: the API's clock (buildServer's), which the feed's year back runs from. */
export const feedsRoutes: FastifyPluginAsync<Pick<GovernanceOptions, 'now'>> = async (app, options) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const base = app.config.PUBLIC_BASE_URL.replace(/\/$/, '');
  const addresses = (token: string) => {
    const url = `${base}/calendario/${token}.ics`;
    return { token, url, webcal: url.replace(/^https?:/, 'webcal:') };
  };

  /**
   * A person's feed shows only what that person may see (feed.ts). A body's feed shows the whole body, so it
   * answers only while its issuer, today, may read the body; one without a recorded issuer never does.
   */
  async function issuerMayRead(
    found: NonNullable<Awaited<ReturnType<typeof feedOwner>>>,
    now: Date,
  ): Promise<boolean> {
    if (!('bodyId' in found.owner)) return true;
    if (!found.issuedById) return false;
    const body = await app.db.body.findUnique({
      where: { id: found.owner.bodyId },
      include: { spansAmbiti: true },
    });
    if (!body) return false;
    const principal = await loadPrincipal(app.db, found.issuedById, now);
    return can(principal, 'body.read', bodyTarget(body));
  }

  api.get(
    '/calendario/:file',
    { schema: { params: FeedFile }, config: { access: 'public' } },
    async (request, reply) => {
      const token = /^([A-Za-z0-9_-]{43})\.ics$/.exec(request.params.file)?.[1];
      const found = token ? await feedOwner(app.db, token) : null;
      const now = new Date(await readClock(options.now));
      if (!found || !(await issuerMayRead(found, now)))
        throw new RequestRejected(404, 'calendario_non_trovato', NOT_FOUND);
      const { name, meetings } = await feedMeetings(app.db, found.owner, now);
      const ics = feedIcs(name, meetings, { uidDomain: domainOf(app.config.MAIL_FROM), baseUrl: base });
      const etag = `"${createHash('sha256').update(ics).digest('base64url').slice(0, 27)}"`;
      reply
        .header('ETag', etag)
        .header('Cache-Control', 'private, max-age=900')
        .header('Content-Type', 'text/calendar; charset=utf-8')
        .header('Content-Disposition', 'inline; filename="calendario.ics"');
      const lastChange = meetings.reduce((max, m) => Math.max(max, m.updatedAt.getTime()), 0);
      if (lastChange) reply.header('Last-Modified', new Date(lastChange).toUTCString());
      if (request.headers['if-none-match'] === etag) return reply.status(304).send();
      return reply.send(ics);
    },
  );

  api.post('/api/v1/feeds/me', { config: { access: 'signed-in' } }, async (request, reply) => {
    const viewer = signedInViewer(request);
    const token = await issueFeedToken(
      app.db,
      { personId: viewer.personId },
      viewer.personId,
      actorOf(request),
    );
    return reply.status(201).header('Cache-Control', 'no-store').send(addresses(token));
  });

  api.post(
    '/api/v1/bodies/:id/feed',
    { schema: { params: BodyParams }, config: { access: { action: 'meeting.prepare', on: 'body' } } },
    async (request, reply) => {
      const viewer = signedInViewer(request);
      const body = await app.db.body.findUnique({
        where: { id: request.params.id },
        include: { spansAmbiti: true },
      });
      if (!body)
        throw new RequestRejected(404, 'organo_sconosciuto', `Organo sconosciuto: ${request.params.id}`);
      if (!can(viewer.principal, 'meeting.prepare', bodyTarget(body))) {
        throw new RequestRejected(
          403,
          'non_consentito',
          "Il calendario dell'organo lo crea chi ne prepara le sedute.",
        );
      }
      const token = await issueFeedToken(app.db, { bodyId: body.id }, viewer.personId, actorOf(request));
      return reply.status(201).header('Cache-Control', 'no-store').send(addresses(token));
    },
  );
};
