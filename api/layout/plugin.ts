/**
 * The page foundation every capability renders through: one layout (district, navigation, signed-in person,
 * footer), bootstrap-italia served from node_modules, and `reply.page(view, data)`.
 *
 * Views are handlebars files named by their path from the project root (e.g. `api/pages/views/meeting.hbs`),
 * so each capability keeps its views beside its routes. The layout adds what every page needs: `viewer`,
 * `csrfToken`, the navigation the person may use and the district's name. No script runs inline and no page
 * needs JavaScript: fonts come from a stylesheet, so a Content-Security-Policy of `'self'` holds.
 */
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../prisma/client';
import { navigationFor } from './navigation';
import { createViewEngine } from './helpers';
import { districtName } from './ambito';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LAYOUT = 'api/layout/views/layout.hbs';
const ERROR_VIEW = 'api/layout/views/errore.hbs';

export interface LayoutOptions {
  /** Where the district's name comes from; without it (the mail catcher's own tests) the header names none. */
  db?: Database;
  /** Where the accessibility statement sends feedback (the Ufficio di Piano's address). */
  feedbackEmail: string;
}

/** What a page may add to the layout besides its own view's data. */
export interface PageData extends Record<string, unknown> {
  /** The `<title>` and, unless the view writes its own, the page's heading. */
  title: string;
  /** Set by a page that shows e-mail HTML in a sandboxed frame: that HTML carries its own inline styles. */
  foreignHtml?: boolean;
}

declare module 'fastify' {
  interface FastifyReply {
    /** Renders `view` (path from the project root) inside the layout and sends it as HTML. */
    page(view: string, data: PageData): Promise<FastifyReply>;
    /** The layout's error page: `status`, a heading and a sentence saying what to do. */
    errorPage(status: number, heading: string, message: string): Promise<FastifyReply>;
  }
  interface FastifyInstance {
    /**
     * The error page's HTML, for an answer given before any route is reached (Fastify's frameworkErrors),
     * whose reply has none of the decorators above.
     */
    errorPageHtml(request: FastifyRequest, heading: string, message: string): Promise<string>;
  }
}

const layoutPlugin: FastifyPluginAsync<LayoutOptions> = async (app, { db, feedbackEmail }) => {
  // The static files are for everyone, signed in or not (the sign-in page uses them too).
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/bootstrap-italia/') || route.url.startsWith('/risorse/'))
      route.config = { ...route.config, access: 'public' };
  });
  await app.register(fastifyStatic, {
    root: join(ROOT, 'node_modules', 'bootstrap-italia', 'dist'),
    prefix: '/bootstrap-italia/',
    decorateReply: false,
    maxAge: '1d',
  });
  await app.register(fastifyStatic, {
    root: join(ROOT, 'api', 'layout', 'assets'),
    prefix: '/risorse/',
    decorateReply: false,
  });

  // Every page's forms post url-encoded fields.
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(formbody);
  await app.register(fastifyView, {
    engine: { handlebars: createViewEngine() },
    root: ROOT,
    layout: LAYOUT,
    // Views are compiled once, not on every request (the profile of bench:api showed handlebars' parser
    // at 11% of the service's time); NODE_ENV=development recompiles them, to edit a view without restarting.
    production: process.env.NODE_ENV !== 'development',
    options: {
      partials: {
        campo: 'api/layout/views/partials/campo.hbs',
        errori: 'api/layout/views/partials/errori.hbs',
        csrf: 'api/layout/views/partials/csrf.hbs',
        // The development mailbox's warning, on each of its pages: it holds working sign-in links.
        avvisoCasella: 'notifications/catcher/views/avviso.hbs',
      },
    },
  });

  /** What the layout shows around every page: who is signed in, their navigation, the district. */
  async function layoutContext(request: FastifyRequest, csrfToken: string, data: PageData) {
    const viewer = request.viewer ?? null;
    const path = request.url.split('?')[0]!;
    return {
      ...data,
      viewer,
      csrfToken,
      navigation: navigationFor(viewer, path),
      district: db ? await districtName(db, viewer) : null,
    };
  }

  async function render(reply: FastifyReply, view: string, data: PageData) {
    // The lead's CSRF plugin decorates reply.generateCsrf; until it is registered, forms carry an empty token.
    const generate = (reply as { generateCsrf?: () => string }).generateCsrf;
    const context = await layoutContext(reply.request, generate ? generate.call(reply) : '', data);
    const html = await reply.viewAsync(view, context);
    // The security headers (api/auth) allow no inline script or style; a page showing an e-mail's HTML in a
    // sandboxed frame lets that HTML keep its inline styles, and nothing else.
    if (data.foreignHtml)
      reply.header(
        'content-security-policy',
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
      );
    return reply.type('text/html; charset=utf-8').send(html);
  }

  app.decorateReply('page', function (this: FastifyReply, view: string, data: PageData) {
    return render(this, view, data);
  });
  app.decorateReply(
    'errorPage',
    function (this: FastifyReply, status: number, heading: string, message: string) {
      return render(this.status(status), ERROR_VIEW, { title: heading, message });
    },
  );
  app.decorate('errorPageHtml', async (request: FastifyRequest, heading: string, message: string) =>
    app.view(ERROR_VIEW, await layoutContext(request, '', { title: heading, message })),
  );

  app.get('/accessibilita', { config: { access: 'public' } }, (_request, reply) =>
    reply.page('api/layout/views/accessibilita.hbs', {
      title: 'Dichiarazione di accessibilità',
      feedbackEmail,
    }),
  );
};

export default fp(layoutPlugin, { name: 'layout' });
