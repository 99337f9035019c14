/**
 * In three months the worker is replaced three times (every workflow replayed from history by a worker with
 * an empty cache) and Temporal loses its whole state three times (the reconciler rebuilds every workflow
 * from the database): the messages sent are exactly those of an undisturbed run, none missing, none twice.
 */
import { expect, it } from 'vitest';
import type { PrismaClient } from '../../prisma/client';
import { runSimulation } from '../../worker/simulate/run';
import { Scenario } from '../../worker/simulate/scenario';

// Late minutes keep a meeting workflow in its escalation phase across a wipe.
const scenario = Scenario.parse({
  events: [{ type: 'lateMinutes', body: 'comitato-ristretto', meeting: '2027-02-02', days: 30 }],
});

/** Outbox keys with database ids replaced by natural names, so two runs compare. */
async function normalisedKeys(prisma: PrismaClient): Promise<string[]> {
  const names = new Map<string, string>();
  for (const m of await prisma.meeting.findMany({ include: { body: true } }))
    names.set(m.id, `${m.body.code}@${m.plannedDateKey}`);
  for (const p of await prisma.person.findMany()) names.set(p.id, p.email);
  for (const d of await prisma.deliverable.findMany()) names.set(d.id, `${d.kind}-${d.referencePeriod}`);
  for (const b of await prisma.body.findMany()) names.set(b.id, b.code);
  const rows = await prisma.outboxMessage.findMany({ select: { idempotencyKey: true, createdAt: true } });
  return rows
    .map(
      (r) =>
        `${r.createdAt.toISOString().slice(0, 16)} ${r.idempotencyKey.replace(/[0-9a-f-]{36}/g, (id) => names.get(id) ?? '?')}`,
    )
    .sort();
}

it('sends exactly the same messages when the worker restarts and Temporal state is wiped', async () => {
  let undisturbed: string[] = [];
  let rebuilt: string[] = [];
  const period = { from: '2027-01-01', to: '2027-03-31', scenario } as const;
  await runSimulation({
    ...period,
    inspect: async (prisma) => void (undisturbed = await normalisedKeys(prisma)),
  });
  const summary = await runSimulation({
    ...period,
    wipeTemporalOn: ['2027-02-10', '2027-03-04', '2027-03-24'],
    restartWorkerOn: ['2027-01-12', '2027-02-26', '2027-03-18'],
    inspect: async (prisma) => void (rebuilt = await normalisedKeys(prisma)),
  });
  expect(undisturbed.length).toBeGreaterThan(200);
  expect(undisturbed.some((k) => k.includes('minutes-step:comitato-ristretto@2027-02-02'))).toBe(true);
  // Each wipe left live meetings, deliverables, series and the ambito's cycles to rebuild.
  expect(summary.temporalWipes.map((w) => w.day)).toEqual(['2027-02-10', '2027-03-04', '2027-03-24']);
  for (const wipe of summary.temporalWipes) expect(wipe.restarted).toBeGreaterThan(10);
  expect(rebuilt).toEqual(undisturbed);
  expect(summary.messages.failed).toBe(0);
}, 300_000);
