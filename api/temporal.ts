/**
 * How the API hands what people do to the governance workflows, and how it records who did it.
 *
 * Two kinds of request, two orders of effects:
 *
 * 1. The API owns the durable change (a new meeting, an uploaded verbale, its approval). It commits the rows
 *    and their AuditEvent in one transaction, then tells the workflow. If Temporal is not configured or does
 *    not answer, the change stays: the database is the source of truth, and a workflow (re)started by the
 *    reconciler reads it (planMeeting sees the new meeting, `minutesStatus` sees the submitted or approved
 *    verbale). The response is then 202 with a note instead of 201/200, so nobody is told the process moved
 *    on when it has not yet.
 *
 * 2. The workflow owns the durable change (reschedule, cancel, agenda addendum, attendance, deliverable
 *    events): its activities write it, in order with the messages it causes (workflows/client.ts). Writing it
 *    here too would apply it twice, and the reconciler cannot replay a change that exists only in a lost
 *    signal. So the API validates against the stored state, then, inside one transaction, inserts the
 *    AuditEvent naming the person and delivers the signal; the audit row commits only once Temporal has
 *    accepted the signal. The signal goes with signal-with-start: a workflow lost with Temporal's state is
 *    started again with the change queued, instead of the request failing until the reconciler runs. When
 *    Temporal cannot be reached the transaction rolls back and the answer is 503: nothing changed, retry.
 *    The answer on success is 202: accepted, applied by the workflow within moments.
 */
import { WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { Clock } from '../domain/index';
import type { Database, Prisma } from '../prisma/client';
import type { DeliverableSignals, GovernanceClient, MeetingSignals } from '../workflows/client';
import { workflowId } from '../workflows/contracts';
import { deliverableWorkflow } from '../workflows/deliverable';
import { meetingWorkflow } from '../workflows/meeting';
import { RequestRejected } from './errors';

/** Options of the plugins that reach workflows. */
export interface GovernanceOptions {
  /** Null when the API runs without Temporal (then workflow-owned changes answer 503). */
  governance: GovernanceClient | null;
  /** The current instant; tests pass the time-skipping server's clock. */
  now?: Clock;
}

/**
 * Who acted, as the audit records it: `person:<id>`, or `person:<id>/token:<name>` when an API token acted.
 * Every route that changes something requires a signed-in person (api/auth/guard.ts), so there is one.
 */
export function actorOf(request: FastifyRequest): string {
  const viewer = request.viewer;
  if (!viewer) throw new RequestRejected(401, 'accesso_richiesto', 'Accesso richiesto.');
  return viewer.tokenName
    ? `person:${viewer.personId}/token:${viewer.tokenName}`
    : `person:${viewer.personId}`;
}

export interface AuditEntry {
  actor: string;
  action: string;
  entity: 'meeting' | 'deliverable';
  entityId: string;
  data: Prisma.InputJsonValue;
}

/** What the response says about the workflow after a change the API stored itself (kind 1 above). */
export type ProcessNote =
  | { stato: 'notificato' }
  | {
      stato: 'in_attesa';
      nota: string;
    };

const PENDING: ProcessNote = {
  stato: 'in_attesa',
  nota:
    'La modifica è salvata. Il processo automatico non è raggiungibile in questo momento: ' +
    'il riconciliatore lo riprenderà entro pochi minuti a partire da quanto registrato.',
};

/** Kind 1: after the commit, tell the workflow; a failure is logged and reported as pending, never undone. */
export async function afterCommit(
  log: FastifyBaseLogger,
  governance: GovernanceClient | null,
  tell: (gc: GovernanceClient) => Promise<unknown>,
): Promise<ProcessNote> {
  if (!governance) return PENDING;
  try {
    await tell(governance);
    return { stato: 'notificato' };
  } catch (err) {
    log.warn({ err }, 'workflow not reached after a stored change; the reconciler will resume it');
    return PENDING;
  }
}

const UNAVAILABLE =
  'Il servizio dei processi automatici (Temporal) non è raggiungibile: nessuna modifica è stata applicata. Riprovare tra poco.';

/** Kind 2: the audit row commits only if the signal was accepted (see the header). */
export async function auditedSignal(
  db: Database,
  log: FastifyBaseLogger,
  governance: GovernanceClient | null,
  entry: AuditEntry,
  deliver: (gc: GovernanceClient) => Promise<unknown>,
): Promise<void> {
  if (!governance) throw new RequestRejected(503, 'processi_non_disponibili', UNAVAILABLE);
  await db.$transaction(
    async (tx) => {
      await tx.auditEvent.create({ data: entry });
      try {
        await deliver(governance);
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) {
          // Signal-with-start met a workflow that already finished: the process is over for this object.
          throw new RequestRejected(
            409,
            'processo_concluso',
            'Il processo di questo elemento è già concluso: la modifica non è più possibile.',
          );
        }
        log.warn({ err }, 'signal not delivered');
        throw new RequestRejected(503, 'processi_non_disponibili', UNAVAILABLE);
      }
    },
    { timeout: 20_000 },
  );
}

/** Signals a meeting, starting its workflow with the signal queued when Temporal has lost it. */
export function signalMeetingWithStart<K extends keyof MeetingSignals>(
  gc: GovernanceClient,
  meetingId: string,
  name: K,
  ...args: MeetingSignals[K]
): Promise<WorkflowHandle> {
  return gc.client.workflow.signalWithStart<typeof meetingWorkflow, unknown[]>(meetingWorkflow, {
    workflowId: workflowId.meeting(meetingId),
    taskQueue: gc.taskQueue,
    args: [{ meetingId }],
    signal: name,
    signalArgs: args,
  });
}

/** Signals a deliverable, starting its workflow with the signal queued when Temporal has lost it. */
export function signalDeliverableWithStart<K extends keyof DeliverableSignals>(
  gc: GovernanceClient,
  deliverableId: string,
  name: K,
  ...args: DeliverableSignals[K]
): Promise<WorkflowHandle> {
  return gc.client.workflow.signalWithStart<typeof deliverableWorkflow, unknown[]>(deliverableWorkflow, {
    workflowId: workflowId.deliverable(deliverableId),
    taskQueue: gc.taskQueue,
    args: [{ deliverableId }],
    signal: name,
    signalArgs: args,
  });
}
