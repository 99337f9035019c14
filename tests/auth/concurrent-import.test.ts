/**
 * The same spreadsheet sent twice at once (a double click on «Importa», or a script retrying) changes what
 * one import would, and the second answer says so: nothing new, not an internal error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { actAs } from '../support/auth';
import { multipartForm } from '../support/multipart';
import { warmPool, useAuthWorld } from './support';

const world = useAuthWorld();

let coordinator: Record<string, string>;

beforeAll(async () => {
  coordinator = await actAs(world.db, 'coordinatore-udp@example.org');
});

const HEADER =
  'Persona (nome e cognome);E-mail;PEC;Organizzazione o comune;Seggio;Delegato permanente (e-mail)';
const FILE = Buffer.from(
  '\uFEFF' +
    [
      HEADER,
      'Mario Rossi;m.rossi@comune.pandino.cr.it;;Pandino;Sindaco di Pandino;',
      'Anna Bianchi;a.bianchi@comune.pandino.cr.it;;Comune di Pandino;;',
    ].join('\r\n') +
    '\r\n',
);

function importFile() {
  const form = multipartForm([], { filename: 'persone.csv', content: FILE });
  return world.app.inject({
    method: 'POST',
    url: '/api/v1/people/import',
    headers: { ...coordinator, accept: 'application/json', 'content-type': form.contentType },
    payload: form.payload,
  });
}

describe('one file imported twice at the same moment', () => {
  it('is applied once, and the second import finds nothing to change', async () => {
    await warmPool(world.db);
    const answers = await Promise.all([importFile(), importFile()]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200]);
    const news = answers.map((a) => a.json<{ riepilogo: { nuove: number } }>().riepilogo.nuove).sort();
    expect(news).toEqual([0, 2]);
    const rossi = await world.db.person.findUniqueOrThrow({
      where: { email: 'm.rossi@comune.pandino.cr.it' },
      include: { memberships: { where: { validTo: null } } },
    });
    // The mayor's seats (one per body he sits on), each once.
    const seats = rossi.memberships.map((m) => m.seatId);
    expect(seats.length).toBeGreaterThan(0);
    expect(new Set(seats).size).toBe(seats.length);
  });
});
