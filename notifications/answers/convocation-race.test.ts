/**
 * A one-meeting delegate named while the convocation is leaving must get it. The answer reads the meeting's
 * status and, seeing it still planned, leaves the delegate to the convocation; the convocation marks the
 * meeting convened, then reads the delegates named so far. If the answer commits after that read, nobody
 * sends the delegate anything. Real Postgres and the real meeting activities; a second connection holds the
 * answer between its reading of the status and its commit, so the interleaving is the same on every run.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../tests/support/database';
import { startMailActivities, type MailActivities } from '../../tests/support/mail-activities';
import { createDistrict, createMeeting, type District } from '../../tests/workflows/fixture';

const SECRET = 'race-secret-race-secret-race-secret-1234';

let db: TestDatabase;
let mail: MailActivities;
let district: District;

beforeAll(async () => {
  db = await createTestDatabase();
  mail = await startMailActivities(db.prisma, SECRET);
  district = await createDistrict(db.prisma);
});
afterAll(async () => {
  await mail?.close();
  await db?.cleanup();
});

/** Statements of this database waiting for a lock (asked outside a transaction, which would freeze the view). */
async function waiting(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
    [db.name],
  );
  return rows[0]!.n;
}

async function until(what: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await what()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('timed out');
}

it('a delegate named while the convocation leaves gets it', async () => {
  const meeting = await createMeeting(db.prisma, district.bodies.cr, '2037-04-14');
  // Already registered, so the blocker below can hold her invitation's key.
  const lia = await db.prisma.person.create({
    data: { fullName: 'Lia Neri', email: 'lia.neri@example.org' },
  });
  const { answering } = mail;

  // The blocker inserts Lia's invitation without committing: the answer, once it has read the meeting's
  // status, waits there to insert the same one.
  const blocker = new pg.Client({ connectionString: db.url });
  const watcher = new pg.Client({ connectionString: db.url });
  await Promise.all([blocker.connect(), watcher.connect()]);
  try {
    await blocker.query('BEGIN');
    await blocker.query(
      `INSERT INTO "Invitation" (id, "meetingId", "personId", "tokenHash", "tokenExpiresAt")
       VALUES (gen_random_uuid(), $1, $2, 'blocker', now())`,
      [meeting.id, lia.id],
    );
    // The seat's holder answers (its standing delegate is whom the convocation goes to).
    const answered = answering.answer(
      { meetingId: meeting.id, personId: district.people.sindaco2!, actor: 'test' },
      { scelta: 'delegato', nome_delegato: 'Lia Neri', email_delegato: 'lia.neri@example.org' },
      new Date('2037-03-01T10:00:00Z'),
    );
    await until(async () => (await waiting(watcher)) === 1);
    // The convocation leaves meanwhile: it runs to its end, or waits for the answer to commit.
    let convoked = false;
    const convocation = mail.activities.sendConvocations(meeting.id, 0).finally(() => (convoked = true));
    await until(async () => convoked || (await waiting(watcher)) === 2);
    await blocker.query('ROLLBACK');
    await Promise.all([answered, convocation]);
  } finally {
    await Promise.all([blocker.end(), watcher.end()]);
  }

  const toLia = await db.prisma.outboxMessage.findMany({ where: { personId: lia.id } });
  expect(toLia.map((m) => [m.idempotencyKey, m.status])).toEqual([
    [`convocation:${meeting.id}:${lia.id}:0`, 'sent'],
  ]);
});
