/**
 * The signed-in person's profile, acting only on `request.viewer.personId`:
 * - `GET /api/v1/profile`, `PATCH /api/v1/profile` (`{ email, pecEmail, language }`);
 * - `GET /profilo`, `POST /profilo`: the same operation as a form (Post/Redirect/Get; errors beside the
 *   fields, what was typed kept).
 */
import formbody from '@fastify/formbody';
import type { FastifyPluginAsync } from 'fastify';
import { RequestRejected } from '../errors';
import { actorOf } from '../temporal';
import { signedInViewer } from '../../reports/access';
import { readProfile, updateProfile } from './operations';

const VIEW = 'api/profile/views/profilo.hbs';
const LANGUAGES = [
  { value: 'it', label: 'Italiano' },
  { value: 'en', label: 'English (inglese)' },
];

export const profileRoutes: FastifyPluginAsync = async (app) => {
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(formbody);

  app.get('/api/v1/profile', { config: { access: 'signed-in' } }, async (request) =>
    readProfile(app.db, signedInViewer(request).personId),
  );

  app.patch('/api/v1/profile', { config: { access: 'signed-in' } }, async (request) =>
    updateProfile(app.db, signedInViewer(request).personId, request.body, actorOf(request)),
  );

  app.get('/profilo', { config: { access: 'signed-in' } }, async (request, reply) => {
    const viewer = request.viewer;
    if (!viewer) return reply.errorPage(401, 'Accesso richiesto', 'Per vedere il profilo occorre accedere.');
    const profile = await readProfile(app.db, viewer.personId);
    const saved = (request.query as { salvato?: string }).salvato === '1';
    return reply.page(VIEW, {
      title: 'Profilo',
      values: { ...profile, pecEmail: profile.pecEmail ?? '' },
      errors: null,
      saved,
      languages: LANGUAGES,
    });
  });

  app.post('/profilo', { config: { access: 'signed-in' } }, async (request, reply) => {
    const viewer = request.viewer;
    if (!viewer)
      return reply.errorPage(401, 'Accesso richiesto', 'Per modificare il profilo occorre accedere.');
    const form = (request.body ?? {}) as Record<string, string>;
    try {
      await updateProfile(app.db, viewer.personId, form, actorOf(request));
      return reply.redirect('/profilo?salvato=1', 303);
    } catch (error) {
      if (!(error instanceof RequestRejected) || error.fields.length === 0) throw error;
      const errors = Object.fromEntries(error.fields.map((f) => [f.field, f.message]));
      return reply.status(error.statusCode).page(VIEW, {
        title: 'Profilo',
        values: {
          fullName: viewer.fullName,
          email: form.email ?? '',
          pecEmail: form.pecEmail ?? '',
          language: form.language ?? 'it',
        },
        errors,
        saved: false,
        languages: LANGUAGES,
      });
    }
  });
};
