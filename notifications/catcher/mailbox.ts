/**
 * Where the development mail catcher keeps what it received: in memory, and also on disk when a folder is
 * given, so the development mailbox survives a restart of `npm start`.
 *
 * Like a well-behaved mailbox store (Gmail, Exchange duplicate detection, Cyrus duplicate suppression) it keeps
 * one copy per Message-ID; a second delivery of the same Message-ID is counted, not stored again, and the
 * count is shown, so a duplicate send is visible in development instead of hidden.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface CaughtMessage {
  id: string;
  receivedAt: string;
  messageId: string | null;
  subject: string;
  from: string;
  to: string[];
  /** How many times this Message-ID arrived; above 1 means the sender repeated itself. */
  deliveries: number;
  size: number;
}

export class Mailbox {
  private readonly messages = new Map<string, CaughtMessage>();
  private readonly raw = new Map<string, Buffer>();
  private readonly byMessageId = new Map<string, string>();

  constructor(private readonly dir?: string) {
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
      const meta = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CaughtMessage;
      this.index(meta);
    }
  }

  private index(meta: CaughtMessage): void {
    this.messages.set(meta.id, meta);
    if (meta.messageId) this.byMessageId.set(meta.messageId, meta.id);
  }

  private persist(meta: CaughtMessage): void {
    if (this.dir) writeFileSync(join(this.dir, `${meta.id}.json`), JSON.stringify(meta));
  }

  add(raw: Buffer, envelope: { from: string; to: string[] }): { message: CaughtMessage; duplicate: boolean } {
    // Header block only, unfolded: a long Subject or Message-ID may continue on the next line.
    const head = raw
      .subarray(0, 64 * 1024)
      .toString('latin1')
      .split(/\r?\n\r?\n/)[0]!
      .replace(/\r?\n[ \t]+/g, ' ');
    const messageId = /^message-id:\s*(<[^>]+>)/im.exec(head)?.[1] ?? null;
    const existing = messageId ? this.byMessageId.get(messageId) : undefined;
    if (existing) {
      const meta = this.messages.get(existing)!;
      meta.deliveries += 1;
      this.persist(meta);
      return { message: meta, duplicate: true };
    }
    // Sortable ids: time first, so the list and the folder read in arrival order.
    const id = `${Date.now().toString(36).padStart(9, '0')}-${randomUUID().slice(0, 8)}`;
    const meta: CaughtMessage = {
      id,
      receivedAt: new Date().toISOString(),
      messageId,
      subject: decodeHeader(/^subject:\s*(.*)$/im.exec(head)?.[1] ?? ''),
      from: envelope.from,
      to: envelope.to,
      deliveries: 1,
      size: raw.length,
    };
    if (this.dir) writeFileSync(join(this.dir, `${id}.eml`), raw);
    else this.raw.set(id, raw);
    this.persist(meta);
    this.index(meta);
    return { message: meta, duplicate: false };
  }

  /** Newest first. */
  list(): CaughtMessage[] {
    return [...this.messages.values()].sort((a, b) => b.id.localeCompare(a.id));
  }

  get(id: string): CaughtMessage | undefined {
    return this.messages.get(id);
  }

  source(id: string): Buffer | undefined {
    if (!this.messages.has(id)) return undefined;
    return this.dir ? readFileSync(join(this.dir, `${id}.eml`)) : this.raw.get(id);
  }

  clear(): void {
    if (this.dir)
      for (const id of this.messages.keys())
        for (const ext of ['eml', 'json']) rmSync(join(this.dir, `${id}.${ext}`), { force: true });
    this.messages.clear();
    this.raw.clear();
    this.byMessageId.clear();
  }
}

/** Subjects arrive RFC 2047-encoded ("=?UTF-8?Q?...?="); decoded once on arrival for the list page. */
function decodeHeader(value: string): string {
  return value.replace(
    /=\?([^?]+)\?([QB])\?([^?]*)\?=\s*/gi,
    (_, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          ).toString('utf8'),
  );
}
