/**
 * A whole Cremasco year with everybody on time, simulated on the real stack (fresh embedded Postgres
 * seeded with the district, offline Temporal with time skipping, real worker, real SMTP catcher).
 * The expected messages follow from the seed: one convocation per seat and meeting, one minutes request
 * per meeting that keeps minutes, the circulation to members (and for the Comitato Ristretto to the lead
 * comuni), a reminder at 30 and 14 days for deliverable stages completed ten days early, the agenda e-mail
 * to whoever prepares each meeting.
 */
import { expect, it } from 'vitest';
import { runSimulation } from '../../worker/simulate/run';

it('simulates 2027 for the Cremasco: every meeting, no late convocation, no holiday, no escalation', async () => {
  const s = await runSimulation({ from: '2027-01-01', to: '2027-12-31' });

  expect(s.meetingsHeld.byBody).toEqual({
    'Comitato Ristretto': 12,
    'Assemblea dei Sindaci': 3,
    'Cabina di Regia Integrata': 4,
    ...Object.fromEntries([1, 2, 3, 4, 5, 6].map((n) => [`Assemblea del Sub-ambito ${n}`, 4])),
  });
  expect(s.meetingsCancelled).toBe(0);

  // Seats in the seed: Comitato Ristretto 16, Assemblea 48 mayors, the six sub-ambiti 48 mayors in all,
  // Cabina di Regia 10 (invited on behalf of ATS). Lead comuni: 6 mayors and 6 technical coordinators,
  // of whom the Comitato's circulation adds the 12 not already among its members.
  expect(s.messages.byKind).toEqual({
    convocation: 12 * 16 + 3 * 48 + 4 * 48,
    cabinaInvitation: 4 * 10,
    minutesRequest: 12 + 3,
    minutesCirculation: 12 * (16 + 12) + 3 * 48,
    // One per stage at 30 and 14 days while it is open: the draft's two, the review's 14-day one and, since
    // the Comitato Ristretto (first Tuesday) reviews nine days before the Assemblea, the approval's.
    deliverableReminder: 3 * 4,
    // "Ordine del giorno da preparare" to each meeting's convener, for the meetings whose e-mail falls in the
    // year (the Comitato Ristretto of February to January 2028). The seed names no segreteria and no
    // coordinator of the Comitato, so the Responsabile UdP gets the Comitato's; the Presidente gets the
    // Assemblea's, the lead comune's people their sub-ambito's (the mayor and the technical coordinator; in
    // Crema also the Responsabile UdP, of the Comune di Crema), ATS's 4 people the Cabina di Regia's.
    agendaPreparation: 12 * 1 + 3 * 1 + 4 * (5 * 2 + 3) + 4 * 4,
  });
  expect(s.messages.failed).toBe(0);
  expect(s.messages.onNonWorkingDays).toBe(0);
  expect(s.convocationsAfterDeadline).toEqual([]);
  expect(s.escalations.total).toBe(0);
  expect(s.complianceBreaches).toEqual([]);
  expect(s.deliverables.map((d) => [d.kind, d.year, d.status])).toEqual([
    ['report_annuale', 2026, 'approved'],
    ['aggiornamento_semestrale', 2027, 'approved'],
    ['piano_operativo', 2028, 'approved'],
  ]);
}, 240_000);
