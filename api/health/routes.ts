import type { FastifyPluginAsync } from 'fastify';

/** Liveness for load balancers and compose: 200 only when the database answers a query. */
export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/healthz', { config: { access: 'public' } }, async (_request, reply) => {
    try {
      await app.db.$queryRaw`SELECT 1`;
      return { status: 'ok', database: 'ok' };
    } catch (error) {
      app.log.error({ err: error }, 'database health check failed');
      return reply.status(503).send({ status: 'error', database: 'non raggiungibile' });
    }
  });
};
