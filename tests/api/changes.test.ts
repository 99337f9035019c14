/**
 * Changes the processes refused reach the coordinator's list with their reason, on the real stack: a
 * reschedule into the past and a malformed deadline extension, sent straight to the workflows as another
 * client could (the API itself refuses both before they get there).
 */
import { describe, expect, it } from 'vitest';
import {
  signalDeliverable,
  signalMeeting,
  startDeliverableWorkflow,
  startMeetingWorkflow,
} from '../../workflows/client';
import { createDeliverable, createMeeting } from '../workflows/fixture';
import { useApiWorld } from './support';

const world = useApiWorld('api-changes');

interface Listed {
  entity: string;
  label: string;
  reason: string | null;
  change: Record<string, unknown> | null;
}

async function rejected(query = ''): Promise<{ status: number; changes: Listed[] }> {
  const response = await world.app.inject({
    url: `/api/v1/changes/rejected${query}`,
    headers: world.coordinator,
  });
  return { status: response.statusCode, changes: response.json().changes };
}

describe('GET /api/v1/changes/rejected', () => {
  it('lists what the workflows refused, with the reason and what was asked', async () => {
    const db = world.stack.db.prisma;
    const meeting = await createMeeting(db, world.district.bodies.cr, '2027-03-09');
    const deliverable = await createDeliverable(
      db,
      world.district.ambitoId,
      'report_annuale',
      '2026',
      '2027-04-30',
    );
    const gc = world.stack.gc;
    expect(await startMeetingWorkflow(gc, meeting.id)).toBe(true);
    expect(await startDeliverableWorkflow(gc, deliverable.id)).toBe(true);
    expect((await rejected()).changes).toEqual([]);

    await signalMeeting(gc, meeting.id, 'reschedule', {
      startsAt: '2026-01-13T18:00:00+01:00',
      endsAt: '2026-01-13T20:00:00+01:00',
    });
    await signalDeliverable(gc, deliverable.id, 'extended', { dueAt: 'fine maggio', reason: 'ritardo ATS' });

    let listed: Listed[] = [];
    for (let i = 0; i < 100 && listed.length < 2; i++) {
      listed = (await rejected()).changes;
      if (listed.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const byEntity = new Map(listed.map((c) => [c.entity, c]));
    expect(byEntity.get('meeting')).toMatchObject({
      label: 'Comitato Ristretto del 2027-03-09',
      reason: 'Spostamento non valido: la nuova data è già passata',
      change: { startsAt: '2026-01-13T18:00:00+01:00' },
    });
    expect(byEntity.get('deliverable')).toMatchObject({
      label: 'report_annuale 2026',
      reason: expect.stringMatching(/^Proroga non valida/),
      change: { dueAt: 'fine maggio', reason: 'ritardo ATS' },
    });
    expect(listed).toHaveLength(2);
  });

  it('narrows to a period, and says so when the date is not one', async () => {
    expect(await rejected('?from=2999-01-01')).toEqual({ status: 200, changes: [] });
    const bad = await world.app.inject({
      url: '/api/v1/changes/rejected?from=ieri',
      headers: world.coordinator,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields).toEqual([{ field: 'from', message: 'attesa una data AAAA-MM-GG' }]);
  });
});
