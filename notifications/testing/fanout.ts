/** One convocation addressed to `count` recipients, as outbox requests (tests and benchmark). */
import type { NotificationRequest } from '../outbox/request';
import { SAMPLES } from './samples';

export function fanOutRequests(meetingId: string, count: number, revision = 0): NotificationRequest[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `convocation:${meetingId}:person-${i}:${revision}`,
    kind: 'convocation',
    data: { ...SAMPLES.convocation, recipient: { name: `Sindaco ${i}` } },
    to: { name: `Sindaco ${i}`, email: `sindaco.${i}@comune${i % 48}.example.org` },
    invite: { method: 'REQUEST', meetingId, revision },
  }));
}
