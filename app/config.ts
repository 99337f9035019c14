/**
 * The service's configuration, read once from the environment at start.
 *
 * Every variable is validated here so that a wrong value stops the process with a message naming the
 * variable and what it expects, instead of failing later somewhere deep. Defaults give a laptop the whole
 * service with nothing installed: embedded Postgres, the offline Temporal server, the local mail catcher.
 */
import { isIP } from 'node:net';
import cron from 'node-cron';
import { z } from 'zod';
import './zod-italian';

const optionalUrl = (protocols: string[], example: string) =>
  z
    .string()
    .trim()
    .min(1)
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `atteso un URL ${protocols.join(' o ')} (es. ${example})`,
    )
    .optional();

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'atteso true o false' })
  .transform((value) => ['true', '1', 'yes'].includes(value));

/** Blank after trimming is a mistake, not a default: say what is expected. */
const text = (expected: string) =>
  z
    .string()
    .trim()
    .min(1, { message: `atteso ${expected}` });

const port = z.coerce
  .number({ message: 'atteso un numero di porta' })
  .int({ message: 'atteso un numero di porta' })
  .min(1, { message: 'atteso un numero di porta tra 1 e 65535' })
  .max(65535, { message: 'atteso un numero di porta tra 1 e 65535' });

export const ConfigSchema = z.object({
  PORT: port.default(3000),
  HOST: text("un indirizzo d'ascolto (es. 127.0.0.1 o 0.0.0.0)").default('127.0.0.1'),
  /** Absolute URL that links in e-mails point to (answer pages, documents). */
  PUBLIC_BASE_URL: optionalUrl(['http:', 'https:'], 'https://governance.example.org'),
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:'], 'postgresql://user:pass@localhost:5432/db'),
  /** Where the embedded Postgres keeps its data when DATABASE_URL is not set. */
  DATA_DIR: text('un percorso di cartella').default('./.data'),
  EMBEDDED_POSTGRES_PORT: port.default(54329),
  TEMPORAL_ADDRESS: z
    .string()
    .trim()
    .regex(/^[\w.-]+:\d{1,5}$/, 'atteso host:porta (es. localhost:7233)')
    .optional(),
  TEMPORAL_NAMESPACE: text('il nome di un namespace Temporal').default('default'),
  TEMPORAL_TASK_QUEUE: text('il nome di una coda Temporal').default('governance'),
  /**
   * The Temporal server skips time (the offline test server): activities then run on its virtual clock,
   * which the outbox must not compare with the real one (notifications/outbox/outbox.ts, `leaseClock`),
   * and the API and the reconciler read that clock too (answer links, meeting starts; series and the annual
   * cycle). Tests and simulations only; a real server never does.
   */
  TEMPORAL_TIME_SKIPPING: booleanFlag.default(false),
  /**
   * When the reconciler runs again after its pass at start (cron, optional seconds field). Every worker runs
   * it; passes that coincide are harmless, since workflow ids are deterministic.
   */
  RECONCILE_SCHEDULE: text('una espressione cron (es. */5 * * * *)')
    .refine((value) => cron.validate(value), 'attesa una espressione cron (es. */5 * * * *)')
    .default('*/5 * * * *'),
  /** Port of the local Temporal server (official dev server or offline) started when TEMPORAL_ADDRESS is not set. */
  EMBEDDED_TEMPORAL_PORT: port.default(7233),
  /** Without TEMPORAL_ADDRESS and the temporal CLI: fetch Temporal's official dev server (once, cached). */
  TEMPORAL_DEV_SERVER_DOWNLOAD: booleanFlag.default(true),
  SMTP_URL: optionalUrl(['smtp:', 'smtps:'], 'smtp://user:pass@mail.example.org:587'),
  PEC_SMTP_URL: optionalUrl(['smtp:', 'smtps:'], 'smtps://user:pass@pec.example.org:465'),
  MAIL_FROM: z
    .string()
    .trim()
    .regex(
      /^(.+<)?[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+>?$/,
      'atteso un indirizzo e-mail (es. "Ufficio di Piano <udp@example.org>")',
    )
    .default('Ufficio di Piano <ufficio.piano@example.org>'),
  /** Port of the embedded SMTP mail catcher started when SMTP_URL is not set. */
  MAIL_CATCHER_PORT: port.default(2525),
  /** OpenID Connect sign-in (Keycloak, Entra ID, a SPID/CIE broker): all three or none. */
  OIDC_ISSUER_URL: optionalUrl(['http:', 'https:'], 'https://sso.example.org/realms/ambito'),
  OIDC_CLIENT_ID: text("l'identificativo del client OIDC").optional(),
  OIDC_CLIENT_SECRET: text('il segreto del client OIDC').optional(),
  /** The sign-in button's label. */
  OIDC_LABEL: text("un'etichetta per il pulsante").default("Entra con l'account dell'ente"),
  /** Accept the provider's `email` claim without `email_verified` (Entra ID work accounts). */
  OIDC_TRUST_EMAIL: booleanFlag.default(false),
  /**
   * Behind a load balancer or reverse proxy: which proxies' `X-Forwarded-For` to believe, so the client's own
   * address is what the sign-in limits count. A number of proxy hops, or their addresses/CIDRs separated by
   * commas. Unset: the connection's address (right when clients connect directly; a proxy's header could
   * otherwise be forged by anyone).
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .refine(
      (value) =>
        /^[1-9]\d?$/.test(value) ||
        value.split(',').every((part) => {
          const [address, bits, ...rest] = part.trim().split('/');
          const version = isIP(address ?? '');
          const maxBits = version === 6 ? 128 : 32;
          return (
            version !== 0 &&
            rest.length === 0 &&
            (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits))
          );
        }),
      'atteso un numero di proxy (es. 1) o i loro indirizzi separati da virgole (es. 10.0.0.5,10.0.1.0/24)',
    )
    .transform((value) => (/^\d+$/.test(value) ? Number(value) : value))
    .optional(),
  /** Seed the Ambito Distrettuale Cremasco at start (idempotent). */
  SEED_ON_START: booleanFlag.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof ConfigSchema> & { PUBLIC_BASE_URL: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Configurazione non valida / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

/** Parses the environment; throws ConfigError listing every wrong variable with what it expects. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set": shells and compose files often export VAR= for optional ones.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = ConfigSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        return `${name}=${JSON.stringify(present[name] ?? '')}: ${issue.message}`;
      }),
    );
  }
  const config = parsed.data;
  const oidc = [config.OIDC_ISSUER_URL, config.OIDC_CLIENT_ID, config.OIDC_CLIENT_SECRET];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    throw new ConfigError([
      'OIDC_ISSUER_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: impostarli tutti e tre per l’accesso OpenID Connect, o nessuno',
    ]);
  }
  // Without a relay the development mailbox holds working sign-in links: whoever opens it could enter as anyone.
  if (env.NODE_ENV === 'production' && !config.SMTP_URL) {
    throw new ConfigError([
      'SMTP_URL: obbligatorio con NODE_ENV=production (senza, i collegamenti di accesso finirebbero nella casella di sviluppo, leggibile da chiunque)',
    ]);
  }
  return { ...config, PUBLIC_BASE_URL: config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}` };
}
