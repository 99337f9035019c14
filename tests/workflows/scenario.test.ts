/**
 * Half a Cremasco year with things going wrong, scripted by a scenario on the real stack: late minutes
 * and a late Report annuale climbing the ladder (with the item on the next Comitato Ristretto agenda), a
 * reschedule after the convocation, an agenda addendum, a cancellation, and a rule change that applies
 * from the next occurrence.
 */
import { expect, it } from 'vitest';
import type { PrismaClient } from '../../prisma/client';
import { runSimulation } from '../../worker/simulate/run';
import { Scenario } from '../../worker/simulate/scenario';

const scenario = Scenario.parse({
  events: [
    { type: 'lateMinutes', body: 'comitato-ristretto', meeting: '2027-02-02', days: 30 },
    { type: 'lateDeliverable', deliverable: 'report_annuale', year: 2026, days: 30 },
    {
      type: 'reschedule',
      at: '2027-02-26',
      body: 'comitato-ristretto',
      meeting: '2027-03-02',
      startsAt: '2027-03-09T18:00:00+01:00',
      endsAt: '2027-03-09T20:00:00+01:00',
      reason: 'Concomitanza con il Consiglio comunale di Crema',
    },
    {
      type: 'addendum',
      at: '2027-04-01',
      body: 'comitato-ristretto',
      meeting: '2027-04-06',
      items: [{ title: 'Bando povertà: riparto tra i sub-ambiti' }],
    },
    {
      type: 'cancel',
      at: '2027-05-17',
      body: 'sub-ambito-1',
      meeting: '2027-05-19',
      reason: 'Sala non disponibile',
    },
    {
      type: 'changeRules',
      at: '2027-02-20',
      body: 'sub-ambito-2',
      rules: {
        cadence: {
          months: [3, 6, 9, 12],
          nth: 3,
          weekday: 3,
          time: '18:00',
          durationMinutes: 120,
          onHoliday: 'next-working-day',
        },
      },
    },
  ],
});

/** Messages by purpose, step and recipient e-mail, for the meeting or deliverable whose id is in the key. */
async function keysFor(prisma: PrismaClient, id: string): Promise<string[]> {
  const rows = await prisma.outboxMessage.findMany({
    where: { idempotencyKey: { contains: id } },
    include: { person: true },
  });
  return rows
    .map((r) => `${r.idempotencyKey.replace(`${id}:`, '').replace(`:${r.personId}`, '')}>${r.person!.email}`)
    .sort();
}

it('follows a scripted half year: late minutes and report, reschedule, addendum, cancel, rule change', async () => {
  const checks: (() => void)[] = [];
  const summary = await runSimulation({
    from: '2027-01-01',
    to: '2027-06-30',
    scenario,
    inspect: async (prisma) => {
      const meeting = (code: string, day: string) =>
        prisma.meeting.findFirstOrThrow({ where: { body: { code }, plannedDateKey: day } });

      // Late minutes: reminders before the due date (17 February), level 1 and 2 after it; submitted on
      // 4 March, before level 3.
      const feb = await meeting('comitato-ristretto', '2027-02-02');
      const febKeys = (await keysFor(prisma, feb.id)).filter((k) => k.startsWith('minutes-step:'));
      checks.push(() =>
        expect(febKeys).toEqual([
          'minutes-step:2027-02-10T09:00:00+01:00>coordinatore-udp@example.org',
          'minutes-step:2027-02-16T09:00:00+01:00>coordinatore-udp@example.org',
          'minutes-step:2027-02-18T09:00:00+01:00>coordinatore-udp@example.org',
          'minutes-step:2027-02-18T09:00:00+01:00>responsabile-udp@example.org',
          'minutes-step:2027-02-24T09:00:00+01:00>responsabile-udp@example.org',
        ]),
      );

      // Late Report annuale: the draft (due 31 March, when the 6 April review is convened) climbs all three levels.
      const report = await prisma.deliverable.findFirstOrThrow({
        where: { kind: 'report_annuale', referenceYear: 2026 },
      });
      const draft = (await keysFor(prisma, report.id)).filter((k) => k.startsWith('escalation:udp_draft'));
      checks.push(() =>
        expect(draft).toEqual([
          'escalation:udp_draft:2027-03-31:1>responsabile-udp@example.org',
          'escalation:udp_draft:2027-03-31:2>responsabile-udp@example.org',
          'escalation:udp_draft:2027-03-31:3>sindaco-designato.1@example.org',
          'escalation:udp_draft:2027-03-31:3>sindaco-designato.2@example.org',
          'escalation:udp_draft:2027-03-31:3>sindaco.crema@example.org',
        ]),
      );
      const may = await meeting('comitato-ristretto', '2027-05-04');
      const mayAgenda = await prisma.agendaItem.findMany({
        where: { meetingId: may.id },
        orderBy: { position: 'asc' },
      });
      checks.push(() =>
        expect(mayAgenda.map((a) => a.title)).toContain(
          'Ritardo: Report annuale 2026 (bozza dell’Ufficio di Piano)',
        ),
      );

      // Rescheduled after its convocation: everybody convened gets the update, revision 1, new date.
      const march = await meeting('comitato-ristretto', '2027-03-02');
      const marchKeys = await keysFor(prisma, march.id);
      checks.push(() => {
        expect(march.startsAt.toISOString()).toBe('2027-03-09T17:00:00.000Z');
        expect(march.revision).toBe(1);
        expect(march.status).toBe('closed');
        expect(marchKeys.filter((k) => k.startsWith('convocation:'))).toHaveLength(16);
        expect(marchKeys.filter((k) => k.startsWith('reschedule:1'))).toHaveLength(16);
      });

      // The addendum reached the sixteen members of the Comitato.
      const april = await meeting('comitato-ristretto', '2027-04-06');
      const aprilKeys = await keysFor(prisma, april.id);
      checks.push(() => expect(aprilKeys.filter((k) => k.startsWith('addendum:1'))).toHaveLength(16));

      // The cancelled sub-ambito meeting: a cancellation to its seven mayors, and a compliance warning.
      const cancelled = await meeting('sub-ambito-1', '2027-05-19');
      const cancelledKeys = await keysFor(prisma, cancelled.id);
      checks.push(() => {
        expect(cancelled.status).toBe('cancelled');
        expect(cancelledKeys.filter((k) => k.startsWith('cancellation:1'))).toHaveLength(7);
      });

      // The rule change left May as planned and moved the next occurrence to June (then September, which
      // the series planned when the June session began).
      const sa2 = await prisma.meeting.findMany({
        where: { body: { code: 'sub-ambito-2' } },
        orderBy: { startsAt: 'asc' },
      });
      checks.push(() =>
        expect(sa2.map((m) => m.plannedDateKey)).toEqual([
          '2027-02-17',
          '2027-05-19',
          '2027-06-16',
          '2027-09-15',
        ]),
      );
    },
  });
  for (const check of checks) check();
  expect(summary.messages.onNonWorkingDays).toBe(0);
  expect(summary.messages.failed).toBe(0);
  expect(summary.convocationsAfterDeadline).toEqual([]);
  expect(summary.meetingsCancelled).toBe(1);
  expect(summary.complianceWarnings).toBeGreaterThan(0);
}, 240_000);
