/**
 * What a caller asks the outbox to send: plain JSON, so a Temporal activity can take it as an argument.
 */
import { z } from 'zod';
import { TEMPLATE_KINDS } from '../templates/data';

/** Large enough for a signed PDF of the minutes; larger files are linked, not attached (many PEC and
 *  municipal mailboxes refuse messages over 10-20 MB, and base64 adds a third). */
export const MAX_ATTACHMENTS_BYTES = 10 * 1024 * 1024;

export const Attachment = z.object({
  filename: z.string().trim().min(1).max(200),
  contentType: z.string().trim().min(3).max(100),
  contentBase64: z.string(),
});

export const NotificationRequest = z.object({
  /** Idempotency key, one per recipient and purpose: `convocation:<meeting>:<person>:<revision>`. */
  key: z.string().trim().min(3).max(300),
  kind: z.enum(TEMPLATE_KINDS as [string, ...string[]]),
  /** Template data for `kind`; validated by the template's own schema. */
  data: z.record(z.string(), z.unknown()),
  /** The address is checked per message: a wrong one fails that message only, visibly. */
  to: z.object({ name: z.string().trim().max(200).optional(), email: z.string().trim().max(320) }),
  /** `pec` sends through PEC_SMTP_URL; the caller picks it when the person's PEC address was chosen. */
  channel: z.enum(['smtp', 'pec']).default('smtp'),
  /** Attach a calendar invite built from `data.meeting`: REQUEST for invitations/updates, CANCEL for cancellations. */
  invite: z
    .object({
      method: z.enum(['REQUEST', 'CANCEL']),
      meetingId: z.string().min(1),
      revision: z.number().int().min(0),
    })
    .optional(),
  attachments: z.array(Attachment).default([]),
  meetingId: z.string().optional(),
  personId: z.string().optional(),
});
export type NotificationRequest = z.input<typeof NotificationRequest>;
export type ParsedNotificationRequest = z.output<typeof NotificationRequest>;

const Email = z.email();
export function isValidAddress(address: string): boolean {
  return Email.safeParse(address).success;
}
