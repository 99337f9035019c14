/**
 * The Seduta and Nuova seduta forms on the real stack: each posts to the operation its JSON route uses,
 * redirects after success, and on bad input answers the page again with the message next to the field
 * (aria-invalid, aria-describedby), what was typed, and nothing changed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { actAs } from '../support/auth';
import { useApiWorld } from './support';

const world = useApiWorld('api-seduta-pages');
let headers: Record<string, string>;
let meetingId: string;

async function submit(url: string, fields: Record<string, string>) {
  const response = await world.app.inject({
    method: 'POST',
    url,
    headers: { ...headers, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: '', ...fields }).toString(),
  });
  return { status: response.statusCode, html: response.body, location: response.headers.location };
}

async function page(url: string) {
  const response = await world.app.inject({
    method: 'GET',
    url,
    headers: { ...headers, accept: 'text/html' },
  });
  return { status: response.statusCode, html: response.body };
}

/** Everything a refused form could have touched. */
async function snapshot() {
  const db = world.stack.db.prisma;
  return {
    meetings: await db.meeting.findMany({ orderBy: { id: 'asc' } }),
    items: await db.agendaItem.findMany({ orderBy: { id: 'asc' } }),
    audit: await db.auditEvent.count(),
  };
}

/** The error message shown for the input with this id, tied to it by aria-describedby. */
function fieldError(html: string, id: string): string | null {
  const input = new RegExp(`id="${id}"[^>]*aria-invalid="true"[^>]*aria-describedby="${id}-errore`).test(
    html,
  );
  const message = new RegExp(`id="${id}-errore">([^<]*)<`).exec(html)?.[1] ?? null;
  return input ? message : null;
}

beforeAll(async () => {
  headers = await actAs(world.stack.db.prisma, 'coordudp@example.org');
});

describe('Nuova seduta', () => {
  it('shows the form; bad input is named next to each field, keeps what was typed and creates nothing', async () => {
    expect((await page('/sedute/nuova')).status).toBe(200);
    const before = await snapshot();
    const refused = await submit('/sedute', {
      bodyId: '',
      day: '2027-04-06',
      startTime: '18:00',
      endTime: '17:00',
      place: 'Sala Giunta',
      agenda: 'Piano Operativo 2028',
    });
    expect(refused.status).toBe(400);
    expect(fieldError(refused.html, 'organo')).toBe('scegliere un organo');
    expect(fieldError(refused.html, 'fine')).toMatch(/successivo/);
    expect(refused.html).toContain('value="Sala Giunta"');
    expect(refused.html).toContain('Piano Operativo 2028</textarea>');
    expect(await snapshot()).toEqual(before);
  });

  it('creates the session with its agenda and redirects to its page', async () => {
    const created = await submit('/sedute', {
      bodyId: world.district.bodies.cr!,
      day: '2027-04-06',
      startTime: '18:00',
      endTime: '20:00',
      place: 'Sala Giunta, Comune di Crema',
      urgent: 'on',
      agenda: 'Piano Operativo 2028\nVarie ed eventuali\n',
    });
    expect(created.status).toBe(303);
    meetingId = /^\/sedute\/([0-9a-f-]{36})/.exec(created.location!)![1]!;
    const meeting = await world.stack.db.prisma.meeting.findUniqueOrThrow({
      where: { id: meetingId },
      include: { agendaItems: { orderBy: { position: 'asc' } } },
    });
    expect(meeting.urgent).toBe(true);
    expect(meeting.agendaItems.map((a) => a.title)).toEqual(['Piano Operativo 2028', 'Varie ed eventuali']);
    const shown = await page(`/sedute/${meetingId}`);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('Invia ora la convocazione');
    expect(shown.html).toContain('1. Piano Operativo 2028');
  });
});

describe('the Seduta forms', () => {
  it('refuses an empty item title, a reschedule without a day and a cancellation without reason, changing nothing', async () => {
    const [first] = await world.stack.db.prisma.agendaItem.findMany({
      where: { meetingId },
      orderBy: { position: 'asc' },
    });
    const before = await snapshot();
    const emptyTitle = await submit(`/sedute/${meetingId}/punti/${first!.id}`, {
      azione: 'modifica',
      title: ' ',
    });
    expect(emptyTitle.status).toBe(400);
    expect(fieldError(emptyTitle.html, `titolo-${first!.id}`)).toBe('il titolo è obbligatorio');
    const noDay = await submit(`/sedute/${meetingId}/sposta`, {
      day: '',
      startTime: '18:00',
      endTime: '20:00',
    });
    expect(noDay.status).toBe(400);
    expect(fieldError(noDay.html, 'sposta-giorno')).toBe('indicare giorno e orari');
    const noReason = await submit(`/sedute/${meetingId}/annulla`, { reason: 'x' });
    expect(noReason.status).toBe(400);
    expect(fieldError(noReason.html, 'annulla-motivo')).toMatch(/motivo/);
    expect(await snapshot()).toEqual(before);
  });

  it('moves an item down and edits it, then redirects to the agenda', async () => {
    const db = world.stack.db.prisma;
    const [first] = await db.agendaItem.findMany({ where: { meetingId }, orderBy: { position: 'asc' } });
    const moved = await submit(`/sedute/${meetingId}/punti/${first!.id}`, { azione: 'giu' });
    expect(moved.status).toBe(303);
    expect(moved.location).toBe(`/sedute/${meetingId}?fatto=punto-${first!.id}#punto-${first!.id}`);
    const edited = await submit(`/sedute/${meetingId}/punti/${first!.id}`, {
      azione: 'modifica',
      title: 'Piano Operativo 2028: linee di indirizzo',
    });
    expect(edited.status).toBe(303);
    const items = await db.agendaItem.findMany({ where: { meetingId }, orderBy: { position: 'asc' } });
    expect(items.map((a) => a.title)).toEqual([
      'Varie ed eventuali',
      'Piano Operativo 2028: linee di indirizzo',
    ]);
  });

  it('previews the convocation as the first member will read it', async () => {
    const preview = await page(`/sedute/${meetingId}/anteprima`);
    expect(preview.status).toBe(200);
    expect(preview.html).toContain('Convocazione Comitato Ristretto');
    expect(preview.html).toContain('Piano Operativo 2028: linee di indirizzo');
  });
});
