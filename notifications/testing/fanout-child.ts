/**
 * A separate process that sends a convocation to N recipients, used by the crash test: the test kills it
 * with SIGKILL in the middle of the fan-out, as an OOM killer or a power cut would. `deliver` enqueues then
 * delivers (as the workflow activities do); `send` uses `outbox.send` (rows stored already claimed).
 * Usage: node --import tsx fanout-child.ts <databaseUrl> <smtpUrl> <count> [deliver|send]
 */
import { createPrismaClient } from '../../prisma/client';
import { createOutbox } from '../outbox/outbox';
import { createMailer } from '../transport';
import { fanOutRequests } from './fanout';

const [databaseUrl, smtpUrl, count, way = 'deliver'] = process.argv.slice(2);
const prisma = createPrismaClient(databaseUrl!);
const mailer = createMailer({ smtpUrl: smtpUrl! });
const outbox = createOutbox({ db: prisma, mailer, from: 'Ufficio di Piano <udp@crema.example.org>' });
const requests = fanOutRequests(`crash-${way}`, Number(count));
if (way === 'send') await outbox.send(requests);
else {
  await outbox.enqueue(requests);
  process.stdout.write('enqueued\n');
  await outbox.deliver();
}
process.stdout.write('done\n');
mailer.close();
await prisma.$disconnect();
