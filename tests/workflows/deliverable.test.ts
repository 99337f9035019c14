/**
 * A late Report annuale on the real stack, under time skipping: reminders before the Ufficio di Piano's
 * draft deadline, then each rung of the escalation ladder on its day to the right people, the item on the
 * next Comitato Ristretto agenda, an extension that re-arms the reminders, and the approval that ends it.
 */
import { expect, it } from 'vitest';
import { queryDeliverable, signalDeliverable, startDeliverableWorkflow } from '../../workflows/client';
import { workflowId } from '../../workflows/contracts';
import { createDeliverable, createMeeting } from './fixture';
import { useDistrictStack } from './harness';

const world = useDistrictStack('deliverable-test');

/** "<key prefix>:<step>:<person key>" for every message about the deliverable, sorted. */
async function sent(deliverableId: string): Promise<string[]> {
  const byId = Object.fromEntries(Object.entries(world.district.people).map(([k, v]) => [v, k]));
  const rows = await world.stack.db.prisma.outboxMessage.findMany({
    where: { idempotencyKey: { contains: deliverableId } },
  });
  return rows
    .map((r) => {
      const [purpose, , stage, due, step] = r.idempotencyKey.split(':');
      return `${purpose}:${stage}:${due}:${step}:${byId[r.personId!]}`;
    })
    .sort();
}

it('climbs the ladder for a late Report annuale draft, then follows an extension', async () => {
  const db = world.stack.db.prisma;
  const report = await createDeliverable(db, world.district.ambitoId, 'report_annuale', '2026', '2027-04-30');
  // The Comitato Ristretto meeting after the ladder's second rung, where the item must appear.
  const may = await createMeeting(db, world.district.bodies.cr, '2027-05-04', ['Comunicazioni']);
  const id = report.id;
  await startDeliverableWorkflow(world.stack.gc, id);

  // The draft is due when the convocation of the Comitato that reviews it leaves (6 April, for the
  // Assemblea of 15 April): Wednesday 31 March 2027.
  let plan = (await queryDeliverable(world.stack.gc, id)).plan;
  for (let i = 0; !plan && i < 50; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100)); // the first activity is still running
    plan = (await queryDeliverable(world.stack.gc, id)).plan;
  }
  expect(plan?.stage).toBe('udp_draft');
  expect(plan?.dueAt).toBe('2027-03-31T23:59:59+02:00');

  await world.stack.skipPast('2027-03-30T09:00:00+02:00');
  const D = 'udp_draft:2027-03-31';
  expect(await sent(id)).toEqual(
    [
      `deliverable-reminder:${D}:1:respudp`,
      `deliverable-reminder:${D}:14:respudp`,
      `deliverable-reminder:${D}:30:respudp`,
      `deliverable-reminder:${D}:7:respudp`,
    ].sort(),
  );

  // Level 1 the day after (owner and Responsabile UdP are the same person here).
  await world.stack.skipPast('2027-04-01T09:00:00+02:00');
  expect((await sent(id)).filter((k) => k.startsWith('escalation'))).toEqual([`escalation:${D}:1:respudp`]);

  // Level 2 a week after: the Comitato Ristretto coordinator, and an item on its next agenda.
  await world.stack.skipPast('2027-04-07T09:00:00+02:00');
  expect((await sent(id)).filter((k) => k.startsWith('escalation:') && k.includes(':2:'))).toEqual([
    `escalation:${D}:2:coordcr`,
  ]);
  const items = await db.agendaItem.findMany({ where: { meetingId: may.id }, orderBy: { position: 'asc' } });
  expect(items.map((i) => i.title)).toEqual([
    'Comunicazioni',
    'Ritardo: Report annuale 2026 (bozza dell’Ufficio di Piano)',
  ]);

  // Level 3 three weeks after: the Presidente dell'Assemblea and the Sovraintendenza.
  await world.stack.skipPast('2027-04-21T09:00:00+02:00');
  expect((await sent(id)).filter((k) => k.startsWith('escalation:') && k.includes(':3:'))).toEqual([
    `escalation:${D}:3:presidente`,
    `escalation:${D}:3:sov2`,
  ]);
  expect((await db.deliverable.findUniqueOrThrow({ where: { id } })).escalationLevel).toBe(3);

  // A malformed extension is refused (audited), and the workflow carries on.
  await signalDeliverable(world.stack.gc, id, 'extended', { dueAt: 'fine maggio', reason: ' ' });
  // An extension to 5 May re-arms the reminders for the new date (a week and a day before; two weeks before
  // was this morning, not sent late); nothing is repeated for the old one.
  await signalDeliverable(world.stack.gc, id, 'extended', {
    dueAt: '2027-05-05T23:59:59+02:00',
    reason: 'Dati di spesa ATS in ritardo',
    by: 'coordinatore',
  });
  await world.stack.skipPast('2027-05-04T09:00:00+02:00');
  expect((await sent(id)).filter((k) => k.includes('2027-05-05'))).toEqual([
    'deliverable-reminder:udp_draft:2027-05-05:1:respudp',
    'deliverable-reminder:udp_draft:2027-05-05:7:respudp',
  ]);

  await signalDeliverable(world.stack.gc, id, 'approved', { by: 'assemblea' });
  const final = await world.stack.gc.client.workflow.getHandle(workflowId.deliverable(id)).result();
  expect(final.plan?.closed).toBe(true);
  const row = await db.deliverable.findUniqueOrThrow({ where: { id }, include: { events: true } });
  expect(row.status).toBe('approved');
  expect(
    await db.auditEvent.count({ where: { entityId: id, action: 'deliverable.extension_rejected' } }),
  ).toBe(1);
  expect(row.events.map((e) => e.kind).sort()).toEqual(
    [
      'approved',
      'deadline_extended',
      'escalated',
      'escalated',
      'escalated',
      'reminded',
      'reminded',
      'reminded',
      'reminded',
      'reminded',
      'reminded',
    ].sort(),
  );
  expect(world.stack.catcher.mailbox.list().every((m) => m.deliveries === 1)).toBe(true);
});
