/**
 * Tells a database that cannot be reached (stopped, restarting, out of connections) from a bug: the first is
 * the operator's to fix and the client's to retry, so the API answers 503 with Retry-After, never 500.
 *
 * The signal travels differently depending on where it is caught: Prisma's own codes (P1001 cannot reach,
 * P1017 connection closed, P2024 pool timeout), the driver adapter's error kinds, Postgres' SQLSTATE classes
 * 08 (connection exception) and 57P (shutdown in progress), or the socket's errno. The cause chain is
 * walked, because each layer wraps the one below.
 */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);
const SQLSTATE = /^(08|57P0[1-3]|53300)/;
/** The pg driver's own words when the server goes away mid-query. */
const DRIVER_MESSAGES =
  /Connection terminated|terminating connection|the database system is (starting up|shutting down)|Client has encountered a connection error/i;

interface Shape {
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  message?: unknown;
  cause?: unknown;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current && typeof current === 'object' && !seen.has(current);) {
    seen.add(current);
    const { code, kind, originalCode, message, cause } = current as Shape;
    if (typeof code === 'string' && (PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || SQLSTATE.test(code)))
      return true;
    if (typeof kind === 'string' && ADAPTER_KINDS.has(kind)) return true;
    if (typeof originalCode === 'string' && SQLSTATE.test(originalCode)) return true;
    if (typeof message === 'string' && DRIVER_MESSAGES.test(message)) return true;
    current = cause;
  }
  return false;
}

export const DATABASE_RETRY_AFTER_SECONDS = 10;

export const DATABASE_UNAVAILABLE = {
  error: 'database_non_disponibile',
  message: 'Il database del servizio non è raggiungibile in questo momento: riprovare tra qualche secondo.',
} as const;
