/**
 * The draft verbale ("Scarica la bozza di verbale") opened with a DOCX reader (pizzip, word/document.xml):
 * it names the body, the day and the place, lists the roll call exactly as recorded through the workflow,
 * states the quorum and has the agenda items as headings. Real stack with time skipping.
 */
import PizZip from 'pizzip';
import { beforeAll, expect, it } from 'vitest';
import { actAs } from '../support/auth';
import { useApiWorld } from './support';

const world = useApiWorld('api-draft-minutes');
let headers: Record<string, string>;
let meetingId: string;

/** The paragraphs of a DOCX as plain text, with the style of each. */
function paragraphs(docx: Buffer): { style: string | null; text: string }[] {
  const xml = new PizZip(docx).file('word/document.xml')!.asText();
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map(([p]) => ({
    style: /<w:pStyle w:val="([^"]+)"/.exec(p)?.[1] ?? null,
    text: [...p.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''),
  }));
}

beforeAll(async () => {
  const db = world.stack.db.prisma;
  headers = await actAs(db, 'coordudp@example.org');
  const created = await world.app.inject({
    method: 'POST',
    url: '/api/v1/meetings',
    headers,
    payload: {
      bodyId: world.district.bodies.cr,
      startsAt: '2027-03-23T18:00:00+01:00',
      endsAt: '2027-03-23T20:00:00+01:00',
      place: 'Sala Giunta, Comune di Crema',
      urgent: true,
      agenda: [
        { title: 'Piano Operativo 2028', description: 'Linee di indirizzo' },
        { title: 'Varie ed eventuali' },
      ],
    },
  });
  meetingId = created.json().meeting.id;
  await world.stack.skipPast('2027-03-23T18:30:00+01:00');
  const p = world.district.people;
  const recorded = await world.app.inject({
    method: 'POST',
    url: `/api/v1/meetings/${meetingId}/attendance`,
    headers,
    payload: {
      entries: [
        { personId: p.coordcr, status: 'present', arrivedAt: '2027-03-23T18:20:00+01:00' },
        { personId: p.sindaco1, status: 'absent_justified' },
        { personId: p.assessore2, status: 'delegate', delegateName: 'Giulia Bianchi' },
      ],
    },
  });
  expect(recorded.statusCode).toBe(202);
  // The workflow stores the roll call while the session runs (bounded polling).
  for (let i = 0; i < 100; i++) {
    if ((await db.attendance.count({ where: { meetingId, countsForQuorum: true } })) === 2) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});

it('fills the draft verbale with the roll call as recorded, the quorum and the agenda as headings', async () => {
  const response = await world.app.inject({
    method: 'GET',
    url: `/api/v1/meetings/${meetingId}/minutes/draft`,
    headers,
  });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe(
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  );
  const doc = paragraphs(response.rawPayload);
  const texts = doc.map((d) => d.text);
  expect(texts).toContain('Verbale della seduta urgente di Comitato Ristretto');
  expect(
    texts.some((t) => t.startsWith('Il giorno martedì 23 marzo 2027, alle ore 18:00, presso Sala Giunta')),
  ).toBe(true);
  const section = (heading: string) => {
    const start = texts.indexOf(heading);
    const end = doc.findIndex((d, i) => i > start && d.style !== null);
    return texts.slice(start + 1, end);
  };
  expect(section('Presenti')).toEqual(['coordinatore: Coordinatrice del Comitato (arrivo alle ore 18:20)']);
  expect(section('Rappresentati da un delegato')).toEqual([
    'rappresentante-2: Sindaco Capofila 2, rappresentato/a da Giulia Bianchi',
  ]);
  expect(section('Assenti giustificati')).toEqual(['rappresentante-1: Sindaco Capofila 1']);
  expect(section('Assenti')).toEqual(['Nessuno.']);
  expect(section('Quorum')).toEqual([
    'Seggi con diritto di voto: 3; presenti o validamente rappresentati: 2; necessari per la validità: 2. La seduta è valida.',
  ]);
  expect(doc.filter((d) => d.style === 'Heading2' && /^\d\./.test(d.text)).map((d) => d.text)).toEqual([
    '1. Piano Operativo 2028',
    '2. Varie ed eventuali',
  ]);
  expect(texts).toContain('Linee di indirizzo');
  // No tag left unfilled.
  expect(texts.filter((t) => /[{}]/.test(t))).toEqual([]);
});
