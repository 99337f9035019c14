/**
 * A separate process that enqueues a convocation for N recipients and sends it, used by the crash test:
 * the test kills it with SIGKILL in the middle of the fan-out, as an OOM killer or a power cut would.
 * Usage: node --import tsx fanout-child.ts <databaseUrl> <smtpUrl> <count>
 */
import { createPrismaClient } from '../../prisma/client';
import { createOutbox } from '../outbox/outbox';
import { createMailer } from '../transport';
import { fanOutRequests } from './fanout';

const [databaseUrl, smtpUrl, count] = process.argv.slice(2);
const prisma = createPrismaClient(databaseUrl!);
const mailer = createMailer({ smtpUrl: smtpUrl! });
const outbox = createOutbox({ db: prisma, mailer, from: 'Ufficio di Piano <udp@crema.example.org>' });
await outbox.enqueue(fanOutRequests('crash', Number(count)));
process.stdout.write('enqueued\n');
await outbox.deliver();
process.stdout.write('done\n');
mailer.close();
await prisma.$disconnect();
