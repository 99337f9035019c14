/**
 * The roll call's arrival times: an arrival is a time during the session, from its start to the end of its
 * day. Before the start or on another day it is refused, through the JSON route and the page's form alike,
 * naming the row, and nothing is stored.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { actAs } from '../support/auth';
import { useAuthWorld } from './support';

const world = useAuthWorld();

let coordinator: Record<string, string>;
let meetingId: string;
let personId: string;

beforeAll(async () => {
  const ambitoId = (await world.db.ambito.findUniqueOrThrow({ where: { code: 'cremasco' } })).id;
  const cr = (await world.db.body.findFirstOrThrow({ where: { code: 'comitato-ristretto', ambitoId } })).id;
  coordinator = await actAs(world.db, 'coordinatore-udp@example.org');
  personId = await world.personId('coordinatore-udp@example.org');
  // Convened and begun: 18:00–20:00 in Crema, a week ago at most the roll call may be taken.
  const meeting = await world.db.meeting.create({
    data: {
      bodyId: cr,
      plannedDateKey: '2026-10-13',
      startsAt: new Date('2026-10-13T16:00:00Z'),
      endsAt: new Date('2026-10-13T18:00:00Z'),
      place: 'Crema',
      status: 'convened',
    },
  });
  meetingId = meeting.id;
  await world.db.invitation.create({
    data: { meetingId, personId, tokenHash: 'arrivo-test', tokenExpiresAt: new Date('2026-10-14T00:00:00Z') },
  });
});

const json = (arrivedAt: string) =>
  world.app.inject({
    method: 'POST',
    url: `/api/v1/meetings/${meetingId}/attendance`,
    headers: { accept: 'application/json', ...coordinator },
    payload: { entries: [{ personId, status: 'present', arrivedAt }] },
  });

const audited = () =>
  world.db.auditEvent.count({ where: { entityId: meetingId, action: 'meeting.attendance_recorded' } });

describe('arrival times in the roll call', () => {
  it('refuses an arrival before the start or on another day, naming the row; changes nothing', async () => {
    for (const arrivedAt of ['2026-10-13T17:30:00+02:00', '2026-10-14T18:20:00+02:00']) {
      const answer = await json(arrivedAt);
      expect(answer.statusCode).toBe(400);
      expect(answer.json().fields).toEqual([
        {
          field: 'entries.0.arrivedAt',
          message: 'dalle 18:00, inizio della seduta, ed entro lo stesso giorno',
        },
      ]);
    }
    expect(await audited()).toBe(0);
  });

  it('the form says it next to the person’s arrival field', async () => {
    const page = await world.app.inject({
      method: 'POST',
      url: `/sedute/${meetingId}/presenze`,
      headers: { ...coordinator, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        [`persona-${personId}`]: personId,
        [`stato-${personId}`]: 'present',
        [`arrivo-${personId}`]: '17:30',
      }).toString(),
    });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('indicarla dalle 18:00 in poi, nel giorno della seduta');
    expect(await audited()).toBe(0);
  });

  it('lets an arrival after the planned end of the same evening through (sessions overrun)', async () => {
    // This world runs no Temporal: a roll call that passes every check stops at the workflow's door.
    const answer = await json('2026-10-13T20:30:00+02:00');
    expect([answer.statusCode, answer.json().error]).toEqual([503, 'processi_non_disponibili']);
  });
});
