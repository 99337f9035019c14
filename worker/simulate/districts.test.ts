/**
 * Several districts in one simulation (the year benchmark's setup): each copy of the Cremasco runs its own
 * annual cycle, series and meetings, writes only to its own people, and scenarios still name the Cremasco.
 */
import { expect, it } from 'vitest';
import { runSimulation } from './run';

it('runs every seeded district, each messaging its own people; the scenario acts on the Cremasco only', async () => {
  const checks: (() => void)[] = [];
  const summary = await runSimulation({
    from: '2027-01-01',
    to: '2027-02-28',
    districts: 2,
    scenario: {
      events: [
        {
          type: 'cancel',
          at: '2027-01-29',
          body: 'comitato-ristretto',
          meeting: '2027-02-02',
          reason: 'Prova',
        },
      ],
    },
    inspect: async (prisma) => {
      const meetings = await prisma.meeting.findMany({
        where: { body: { code: 'comitato-ristretto' } },
        include: { body: { include: { ambito: true } } },
        orderBy: [{ plannedDateKey: 'asc' }],
      });
      const february = meetings
        .filter((m) => m.plannedDateKey === '2027-02-02')
        .map((m) => [m.body.ambito.code, m.status])
        .sort();
      checks.push(() =>
        expect(february).toEqual([
          ['cremasco', 'cancelled'],
          ['cremasco-1', 'closed'],
        ]),
      );

      const byAmbito = async (code: string) => {
        const ids = (await prisma.meeting.findMany({ where: { body: { ambito: { code } } } })).map(
          (m) => m.id,
        );
        const messages = await prisma.outboxMessage.findMany({ where: { kind: 'convocation' } });
        return messages
          .filter((m) => ids.some((id) => m.idempotencyKey.startsWith(`convocation:${id}:`)))
          .map((m) => m.recipientEmail);
      };
      const original = await byAmbito('cremasco');
      const copy = await byAmbito('cremasco-1');
      checks.push(() => {
        expect(copy.length).toBeGreaterThan(0);
        expect(copy.every((email) => email.endsWith('+c1@example.org'))).toBe(true);
        expect(original.some((email) => email.includes('+c'))).toBe(false);
        // Same district, same convocations (the cancelled meeting had already been convened).
        expect(new Set(copy.map((e) => e.replace('+c1@', '@')))).toEqual(new Set(original));
      });
    },
  });
  for (const check of checks) check();
  expect(summary.districts).toBe(2);
  expect(summary.meetingsCancelled).toBe(1);
  expect(summary.meetingsHeld.byBody['Comitato Ristretto']).toBe(2 + 1);
  expect(summary.messages.failed).toBe(0);
  // At least an annual cycle, a compliance monitor and a workflow per meeting in each district.
  expect(summary.workflows).toBeGreaterThan(2 * 2 + summary.meetingsHeld.total + summary.meetingsCancelled);
}, 180_000);
