/**
 * The verbale at the same moment from two hands: an approval and a new upload, or two approvals (a double
 * click). The approved verbale is the file that was approved, and the second request gets a clear 409.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { multipartForm } from '../support/multipart';
import { coordinatorOfComitato, sessionOn, warmPool, useAuthWorld } from './support';

const world = useAuthWorld();

let coordinator: Record<string, string>;
let cr: string;

beforeAll(async () => void ({ cr, coordinator } = await coordinatorOfComitato(world)));

/** A session held last month, its verbale not yet uploaded. */
const heldMeeting = async (day: string) => (await sessionOn(world.db, cr, day, { status: 'held' })).id;

const upload = (meetingId: string, text: string) => {
  const { payload, contentType } = multipartForm([], {
    filename: 'verbale.pdf',
    content: Buffer.from(`%PDF-1.4\n${text}\n%%EOF\n`),
  });
  return world.app.inject({
    method: 'POST',
    url: `/api/v1/meetings/${meetingId}/minutes`,
    headers: { accept: 'application/json', 'content-type': contentType, ...coordinator },
    payload,
  });
};

const approve = (meetingId: string) =>
  world.app.inject({
    method: 'POST',
    url: `/api/v1/meetings/${meetingId}/minutes/approve`,
    headers: { accept: 'application/json', ...coordinator },
  });

describe('the verbale at the same moment', () => {
  it('approved twice: one approval, and a 409 for the other', async () => {
    const id = await heldMeeting('2026-10-06');
    expect((await upload(id, 'prima stesura')).statusCode).toBe(202);
    await warmPool(world.db);
    const answers = await Promise.all([approve(id), approve(id)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([202, 409]);
    const approvals = await world.db.auditEvent.count({
      where: { entityId: id, action: 'meeting.minutes_approved' },
    });
    expect(approvals).toBe(1);
  });

  it('approved while a new file arrives: the approved verbale is the file approved', async () => {
    const id = await heldMeeting('2026-10-13');
    expect((await upload(id, 'prima stesura')).statusCode).toBe(202);
    await warmPool(world.db);
    const [approval, replacement] = await Promise.all([approve(id), upload(id, 'seconda stesura')]);
    const verbale = await world.db.verbale.findUniqueOrThrow({ where: { meetingId: id } });
    const approved = await world.db.auditEvent.findFirstOrThrow({
      where: { entityId: id, action: 'meeting.minutes_approved' },
    });
    expect(approval.statusCode).toBe(202);
    // Either the upload came first (and that file was approved) or it is refused: never swapped after.
    expect([202, 409]).toContain(replacement.statusCode);
    expect((approved.data as { documentId: string }).documentId).toBe(verbale.documentId);
  });
});
