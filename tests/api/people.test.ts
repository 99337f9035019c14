/**
 * Persone over a real seeded Postgres, as the coordinator: the JSON routes and the page forms call the same
 * operations. The spreadsheet import previews each row's change and names each bad row's problem, saves
 * nothing while one row is wrong, and changes nothing when the same file comes twice; replacing a
 * placeholder moves its seats, future invitations and unsent messages to the real person, and only those.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { seedCremasco } from '../../prisma/seed';
import { actAs, COORDINATORE } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startMailActivities } from '../support/mail-activities';
import { multipartForm } from '../support/multipart';
import { zipOf } from '../support/zip';

let database: TestDatabase;
let app: FastifyInstance;
let headers: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedCremasco(database.prisma);
  app = await buildServer({ db: database.prisma, config: loadConfig({ LOG_LEVEL: 'silent' }) });
  headers = await actAs(database.prisma, COORDINATORE);
});
afterAll(async () => {
  await app?.close();
  await database?.cleanup();
});

const HEADER =
  'Persona (nome e cognome);E-mail;PEC;Organizzazione o comune;Seggio;Delegato permanente (e-mail)';
const GOOD = [
  'Mario Rossi;m.rossi@comune.pandino.cr.it;protocollo@pec.comune.pandino.cr.it;Pandino;Sindaco di Pandino;a.bianchi@comune.pandino.cr.it',
  'Anna Bianchi;a.bianchi@comune.pandino.cr.it;;Comune di Pandino;;',
  'Luca Verdi;L.Verdi@Comune.Crema.cr.it;;Crema;sindaco:crema;',
];
const BAD = [
  'Mario Rossi bis;m.rossi@comune.pandino.cr.it;;Pandino;;',
  'Giulia Neri;g.neri@example.com;;Pandinoo;;',
  ';vuoto@example.com;;Crema;;',
];
const csv = (lines: string[]) => Buffer.from('\uFEFF' + [HEADER, ...lines].join('\r\n') + '\r\n', 'utf8');

/** `cutAt` sends only the first bytes, as a client that stopped sending would. */
function upload(url: string, content: Buffer, filename: string, accept = 'application/json', cutAt?: number) {
  const form = multipartForm([], { filename, content });
  return app.inject({
    method: 'POST',
    url,
    headers: { ...headers, accept, 'content-type': form.contentType },
    payload: form.payload.subarray(0, cutAt),
  });
}

/** What an import may touch: if none of these moved, nothing was saved. */
async function snapshot() {
  const db = database.prisma;
  const [people, memberships, audit, invitations, messages] = await Promise.all([
    db.person.findMany({ orderBy: { id: 'asc' } }),
    db.membership.findMany({ orderBy: { id: 'asc' } }),
    db.auditEvent.count({ where: { action: { not: 'auth.token_used' } } }),
    db.invitation.findMany({ orderBy: { id: 'asc' } }),
    db.outboxMessage.findMany({ orderBy: { id: 'asc' } }),
  ]);
  return { people, memberships, audit, invitations, messages };
}

interface Plan {
  valido: boolean;
  riepilogo: Record<string, number>;
  righe: {
    riga: number;
    esito: string;
    modifiche: string[];
    problemi: { campo: string; messaggio: string }[];
  }[];
}

const currentSeats = (email: string) =>
  database.prisma.membership.findMany({
    where: { person: { email }, validTo: null },
    include: { seat: { include: { body: true } }, delegate: true },
    orderBy: { seat: { body: { code: 'asc' } } },
  });

describe('import from a spreadsheet', () => {
  it('previews good rows, a duplicate e-mail, an unknown comune and an empty required cell, and saves nothing until fixed', async () => {
    const before = await snapshot();
    const preview = await upload('/api/v1/people/import/preview', csv([...GOOD, ...BAD]), 'persone.csv');
    expect(preview.statusCode).toBe(200);
    const plan = preview.json<Plan>();
    expect(plan.valido).toBe(false);
    expect(plan.riepilogo).toMatchObject({ righe: 6, nuove: 3, errori: 3 });
    const row = (n: number) => plan.righe.find((r) => r.riga === n)!;
    expect(row(2).modifiche).toEqual([
      'Nuova persona: Mario Rossi <m.rossi@comune.pandino.cr.it>, Comune di Pandino',
      'Sostituisce il segnaposto «Sindaco di Pandino (segnaposto)»: prende i suoi 2 seggi (Assemblea dei Sindaci, Assemblea del Sub-ambito 1), gli inviti alle sedute future e i messaggi non ancora inviati',
      'Delegato permanente per Sindaco di Pandino (Assemblea dei Sindaci): a.bianchi@comune.pandino.cr.it',
      'Delegato permanente per Sindaco di Pandino (Assemblea del Sub-ambito 1): a.bianchi@comune.pandino.cr.it',
    ]);
    expect(row(5).problemi).toEqual([
      { campo: 'email', messaggio: 'e-mail ripetuta: è già alla riga 2', colonna: 'E-mail' },
    ]);
    expect(row(6).problemi).toEqual([
      {
        campo: 'organizzazione',
        messaggio: 'comune o organizzazione sconosciuta nell’ambito: «Pandinoo»',
        colonna: 'Organizzazione o comune',
      },
    ]);
    expect(row(7).problemi).toEqual([
      { campo: 'persona', messaggio: 'indicare nome e cognome', colonna: 'Persona (nome e cognome)' },
    ]);
    expect(await snapshot()).toEqual(before);

    const commit = await upload('/api/v1/people/import', csv([...GOOD, ...BAD]), 'persone.csv');
    expect(commit.statusCode).toBe(422);
    expect(commit.json()).toMatchObject({ error: 'importazione_non_valida' });
    expect(commit.json<{ fields: { field: string }[] }>().fields.map((f) => f.field)).toEqual([
      'riga.5.email',
      'riga.6.organizzazione',
      'riga.7.persona',
    ]);
    expect(await snapshot()).toEqual(before);

    const fixed = await upload('/api/v1/people/import', csv(GOOD), 'persone.csv');
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json<Plan>().riepilogo).toMatchObject({ righe: 3, nuove: 3, errori: 0 });
    const pandino = await currentSeats('m.rossi@comune.pandino.cr.it');
    expect(pandino.map((m) => [m.seat.body.name, m.seat.code, m.delegate?.fullName])).toEqual([
      ['Assemblea dei Sindaci', 'sindaco:pandino', 'Anna Bianchi'],
      ['Assemblea del Sub-ambito 1', 'sindaco:pandino', 'Anna Bianchi'],
    ]);
    expect(await currentSeats('sindaco.pandino@example.org')).toEqual([]);
    // The placeholder of the Sindaco di Crema is replaced whole: the Presidente's seat on the Cabina follows.
    const crema = await currentSeats('l.verdi@comune.crema.cr.it');
    expect(crema.map((m) => m.seat.code).sort()).toEqual([
      'presidente-assemblea',
      'sindaco:crema',
      'sindaco:crema',
      'sindaco:crema',
    ]);
  });

  it('previews on the page too, carrying the rows to the confirmation', async () => {
    const page = await upload('/persone/importa', csv(GOOD), 'persone.csv', 'text/html');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Anteprima: nulla è ancora stato salvato');
    expect(page.body).toContain('<input type="hidden" name="righe" value="[{&quot;riga&quot;:2,');
  });

  it('changes nothing when the same file comes twice', async () => {
    const before = await snapshot();
    const again = await upload('/api/v1/people/import', csv(GOOD), 'persone.csv');
    expect(again.statusCode).toBe(200);
    expect(again.json<Plan>().righe.map((r) => r.esito)).toEqual(['invariata', 'invariata', 'invariata']);
    expect(await snapshot()).toEqual(before);
  });

  it('reads the XLSX template filled in, with e-mails as Excel hyperlinks, and a CSV separated by commas', async () => {
    const template = await app.inject({ url: '/api/v1/people/import/template?formato=xlsx', headers });
    expect(template.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Persone')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
      'Persona (nome e cognome)',
      'E-mail',
      'PEC',
      'Organizzazione o comune',
      'Seggio',
      'Delegato permanente (e-mail)',
    ]);
    sheet.addRow([
      'Paola Gialli',
      { text: 'p.gialli@comune.sergnano.cr.it', hyperlink: 'mailto:p.gialli@comune.sergnano.cr.it' },
      '',
      'Comune di Sergnano',
      'Sindaco di Sergnano',
      '',
    ]);
    const filled = Buffer.from(await workbook.xlsx.writeBuffer());
    const xlsx = (await upload('/api/v1/people/import/preview', filled, 'persone.xlsx')).json<Plan>();
    expect(xlsx.valido).toBe(true);
    expect(xlsx.righe[0]!.modifiche[0]).toBe(
      'Nuova persona: Paola Gialli <p.gialli@comune.sergnano.cr.it>, Comune di Sergnano',
    );

    const commas = Buffer.from(
      'Persona,E-mail,PEC,Comune,Seggio,Delegato\r\n"Rossi, Mario",m.rossi@comune.pandino.cr.it,protocollo@pec.comune.pandino.cr.it,Pandino,Sindaco di Pandino,a.bianchi@comune.pandino.cr.it\r\n',
    );
    const plan = (await upload('/api/v1/people/import/preview', commas, 'persone.csv')).json<Plan>();
    expect(plan.righe[0]).toMatchObject({
      esito: 'aggiornata',
      modifiche: ['Nome: Mario Rossi → Rossi, Mario'],
    });
  });

  it('refuses a file that is not a spreadsheet, or lacks a required column, naming the file field', async () => {
    const pdf = await upload('/api/v1/people/import/preview', Buffer.from('%PDF-1.7\u0000binario'), 'x.pdf');
    expect(pdf.statusCode).toBe(400);
    expect(pdf.json()).toMatchObject({ error: 'file_non_leggibile', fields: [{ field: 'file' }] });
    const noEmail = await upload(
      '/api/v1/people/import/preview',
      Buffer.from('Persona;Comune\r\nA B;Crema\r\n'),
      'x.csv',
    );
    expect(noEmail.statusCode).toBe(400);
    expect(noEmail.json<{ message: string }>().message).toContain('«E-mail»');
  });

  it('refuses an upload cut short, as a page and as JSON, naming the file field and changing nothing', async () => {
    const before = await snapshot();
    for (const route of ['/api/v1/people/import/preview', '/api/v1/people/import']) {
      const cut = await upload(route, csv(GOOD), 'persone.csv', 'application/json', 150);
      expect(cut.statusCode).toBe(400);
      expect(cut.json()).toMatchObject({ fields: [{ field: 'file', message: 'invio incompleto' }] });
    }
    const page = await upload('/persone/importa', csv(GOOD), 'persone.csv', 'text/html', 150);
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('Il file non è arrivato per intero');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an XLSX that would inflate past 20 MB (a zip bomb) before opening it, changing nothing', async () => {
    const before = await snapshot();
    // 64 MB of one repeated row: about 190 KB once deflated, well under the 2 MB upload limit.
    const row = Buffer.from('<row><c t="inlineStr"><is><t>Mario Rossi</t></is></c></row>');
    const bomb = zipOf([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      {
        name: 'xl/worksheets/sheet1.xml',
        data: Buffer.concat(Array(Math.ceil((64 << 20) / row.length)).fill(row)),
      },
    ]);
    expect(bomb.length).toBeLessThan(2 << 20);
    for (const route of ['/api/v1/people/import/preview', '/api/v1/people/import']) {
      const refused = await upload(route, bomb, 'persone.xlsx');
      expect(refused.statusCode).toBe(413);
      expect(refused.json()).toMatchObject({ error: 'file_troppo_grande', fields: [{ field: 'file' }] });
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('replacing a placeholder', () => {
  it('moves its seats, future invitations and unsent messages to the real person, not its past', async () => {
    const db = database.prisma;
    const placeholder = await db.person.findUniqueOrThrow({
      where: { email: 'sindaco.vaiano-cremasco@example.org' },
    });
    const assemblea = await db.body.findFirstOrThrow({ where: { code: 'assemblea-sindaci' } });
    const meeting = (day: string) =>
      db.meeting.create({
        data: {
          bodyId: assemblea.id,
          plannedDateKey: day,
          startsAt: new Date(`${day}T17:00:00Z`),
          endsAt: new Date(`${day}T19:00:00Z`),
          status: day < '2030' ? 'closed' : 'convened',
        },
      });
    const [past, future] = [await meeting('2025-03-04'), await meeting('2037-03-04')];
    const invite = (meetingId: string, n: number) =>
      db.invitation.create({
        data: {
          meetingId,
          personId: placeholder.id,
          tokenHash: `hash-${n}`,
          tokenExpiresAt: new Date('2037-03-05'),
        },
      });
    const [oldInvitation, newInvitation] = [await invite(past.id, 1), await invite(future.id, 2)];
    const message = (key: string, status: 'queued' | 'sent') =>
      db.outboxMessage.create({
        data: {
          idempotencyKey: key,
          kind: 'convocation',
          recipientEmail: placeholder.email,
          recipientName: placeholder.fullName,
          personId: placeholder.id,
          subject: 'Convocazione',
          textBody: 'x',
          htmlBody: '<p>x</p>',
          messageId: `<${key}@example.org>`,
          status,
        },
      });
    const [queued, sent] = [await message('prova:in-coda', 'queued'), await message('prova:inviato', 'sent')];
    const seatsBefore = (await currentSeats(placeholder.email)).map((m) => m.id).sort();
    expect(seatsBefore.length).toBe(2);

    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/people/${placeholder.id}/replace`,
      headers,
      payload: {
        fullName: 'Elena Moretti',
        email: 'sindaco@comune.vaiano.cr.it',
        organisationId: placeholder.organisationId,
      },
    });
    expect(response.statusCode).toBe(200);
    const { person, moved } = response.json<{ person: { id: string }; moved: Record<string, number> }>();
    expect(moved).toEqual({
      seats: 2,
      delegations: 0,
      invitations: 1,
      messages: 1,
      roles: 0,
      deliverables: 0,
      convocations: 0,
    });
    expect((await currentSeats('sindaco@comune.vaiano.cr.it')).map((m) => m.id).sort()).toEqual(seatsBefore);
    expect((await db.invitation.findUniqueOrThrow({ where: { id: newInvitation.id } })).personId).toBe(
      person.id,
    );
    expect((await db.invitation.findUniqueOrThrow({ where: { id: oldInvitation.id } })).personId).toBe(
      placeholder.id,
    );
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({
      recipientEmail: 'sindaco@comune.vaiano.cr.it',
      recipientName: 'Elena Moretti',
      personId: person.id,
      messageId: queued.messageId,
    });
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { id: sent.id } })).toMatchObject({
      recipientEmail: placeholder.email,
      personId: placeholder.id,
    });
    expect(
      await db.auditEvent.count({
        where: { action: 'person.placeholder_replaced', entityId: placeholder.id },
      }),
    ).toBe(1);
    // Holding nothing now, the placeholder leaves the list; the real person is there with its seats.
    const listed = await app.inject({ url: '/api/v1/people?q=vaiano', headers });
    const people = listed.json<{ people: { id: string; seats: unknown[] }[] }>().people;
    expect(people.find((p) => p.id === placeholder.id)).toBeUndefined();
    expect(people.find((p) => p.id === person.id)?.seats).toHaveLength(2);

    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/people/${person.id}/replace`,
      headers,
      payload: {
        fullName: 'Altra Persona',
        email: 'altra@example.com',
        organisationId: placeholder.organisationId,
      },
    });
    expect(again.statusCode).toBe(409);
  });
});

describe('replacing a placeholder invited to a meeting already convened', () => {
  it('sends the real person the convocation (with answer links) once, at their address', async () => {
    const db = database.prisma;
    const mail = await startMailActivities(db, 'segreto-di-prova-segreto-di-prova-1234');
    const served = await buildServer({
      db,
      config: loadConfig({ LOG_LEVEL: 'silent' }),
      answering: mail.answering,
    });
    try {
      const placeholder = await db.person.findUniqueOrThrow({
        where: { email: 'sindaco.ricengo@example.org' },
      });
      const assemblea = await db.body.findFirstOrThrow({ where: { code: 'assemblea-sindaci' } });
      const convened = await db.meeting.create({
        data: {
          bodyId: assemblea.id,
          plannedDateKey: '2037-04-07',
          startsAt: new Date('2037-04-07T16:00:00Z'),
          endsAt: new Date('2037-04-07T18:00:00Z'),
          status: 'convened',
        },
      });
      await db.invitation.create({
        data: {
          meetingId: convened.id,
          personId: placeholder.id,
          tokenHash: 'hash-ricengo',
          tokenExpiresAt: new Date('2037-04-08'),
        },
      });
      const replace = (email: string) =>
        served.inject({
          method: 'POST',
          url: `/api/v1/people/${placeholder.id}/replace`,
          headers,
          payload: { fullName: 'Paolo Galli', email, organisationId: placeholder.organisationId },
        });
      const response = await replace('sindaco@comune.ricengo.cr.it');
      expect(response.statusCode).toBe(200);
      const { person, moved } = response.json<{ person: { id: string }; moved: { convocations: number } }>();
      expect(moved.convocations).toBe(1);
      const row = await db.outboxMessage.findFirstOrThrow({
        where: { personId: person.id, kind: 'convocation' },
      });
      expect(row).toMatchObject({ status: 'sent', recipientEmail: 'sindaco@comune.ricengo.cr.it' });
      const received = mail.catcher.mailbox
        .list()
        .filter((m) => m.to.includes('sindaco@comune.ricengo.cr.it'));
      expect(received).toHaveLength(1);
      expect(received[0]!.deliveries).toBe(1);
      expect(row.textBody).toContain('/risposta/');
      // The invitation has left the placeholder: replacing it again moves nothing and sends nothing.
      const again = await replace('altro@comune.ricengo.cr.it');
      expect(again.statusCode).toBe(200);
      expect(again.json<{ moved: { invitations: number; convocations: number } }>().moved).toMatchObject({
        invitations: 0,
        convocations: 0,
      });
      const convocations = { idempotencyKey: { startsWith: `convocation:${convened.id}:` } };
      expect(await db.outboxMessage.count({ where: convocations })).toBe(1);
    } finally {
      await served.close();
      await mail.close();
    }
  });
});

describe('adding and editing people', () => {
  const org = () =>
    database.prisma.organisation.findFirstOrThrow({ where: { name: 'Comune di Crema' } }).then((o) => o.id);

  it('refuses a bad address and a taken one with the field named, changing nothing', async () => {
    const before = await snapshot();
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/people',
      headers,
      payload: { fullName: 'Nuova Persona', email: 'non-un-indirizzo', organisationId: await org() },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      fields: [{ field: 'email', message: 'indirizzo e-mail non valido' }],
    });
    const taken = await app.inject({
      method: 'POST',
      url: '/api/v1/people',
      headers,
      payload: { fullName: 'Nuova Persona', email: COORDINATORE, organisationId: await org() },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ fields: [{ field: 'email' }] });
    expect(await snapshot()).toEqual(before);
  });

  it('adds, finds and edits a person through the JSON routes', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/people',
      headers,
      payload: { fullName: 'Sara Conti', email: 'S.Conti@example.com ', organisationId: await org() },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ person: { id: string; email: string } }>().person.id;
    expect(created.json().person.email).toBe('s.conti@example.com');
    const found = await app.inject({ url: '/api/v1/people?q=conti', headers });
    expect(found.json<{ people: { id: string }[] }>().people.map((p) => p.id)).toEqual([id]);
    const edited = await app.inject({
      method: 'PATCH',
      url: `/api/v1/people/${id}`,
      headers,
      payload: {
        fullName: 'Sara Conti',
        email: 's.conti@example.com',
        pecEmail: 's.conti@pec.example.com',
        organisationId: await org(),
      },
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().changed).toEqual({ pecEmail: { from: null, to: 's.conti@pec.example.com' } });
  });

  it('enters ATS staff too (an organisation above every ambito) and finds them afterwards', async () => {
    const ats = await database.prisma.organisation.findFirstOrThrow({ where: { kind: 'ats' } });
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/people',
      headers,
      payload: {
        fullName: 'Direttrice Distretto',
        email: 'direttrice@ats-valpadana.example.com',
        organisationId: ats.id,
      },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ person: { id: string } }>().person.id;
    const found = await app.inject({ url: `/api/v1/people/${id}`, headers });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({ person: { organisation: { name: ats.name } } });
  });

  it('the page form keeps what was typed and shows the message next to the field', async () => {
    const before = await snapshot();
    const response = await app.inject({
      method: 'POST',
      url: '/persone/nuova',
      headers: { ...headers, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        fullName: 'Piero Bassi',
        email: 'piero@',
        pecEmail: '',
        organisationId: '',
      }).toString(),
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('id="dati-email" name="email" value="piero@" aria-invalid="true"');
    expect(response.body).toContain(
      '<div class="invalid-feedback d-block" id="dati-email-errore">indirizzo e-mail non valido</div>',
    );
    expect(response.body).toContain(
      'id="dati-organizzazione-errore">scegliere l’organizzazione o il comune</div>',
    );
    expect(response.body).toContain('value="Piero Bassi"');
    expect(await snapshot()).toEqual(before);
  });
});

describe('the Ufficio di Piano role on a person’s page', () => {
  const form = (url: string, azione: string) =>
    app.inject({
      method: 'POST',
      url,
      headers: { ...headers, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: `azione=${azione}`,
    });

  it('adds and removes a person, and refuses to remove the last member, saying why', async () => {
    const db = database.prisma;
    const ambito = await db.ambito.findUniqueOrThrow({ where: { code: 'cremasco' } });
    const responsabile = await db.person.findUniqueOrThrow({
      where: { email: 'responsabile-udp@example.org' },
    });
    const coordinator = await db.person.findUniqueOrThrow({ where: { email: COORDINATORE } });
    const members = () =>
      db.ufficioDiPianoMember
        .findMany({ where: { ambitoId: ambito.id }, select: { personId: true } })
        .then((rows) => rows.map((r) => r.personId).sort());

    const removed = await form(`/persone/${responsabile.id}/ufficio-di-piano`, 'togli');
    expect(removed.statusCode).toBe(303);
    expect(removed.headers.location).toBe(`/persone/${responsabile.id}?esito=udp-tolta#ruolo`);
    expect(await members()).toEqual([coordinator.id]);

    const last = await form(`/persone/${coordinator.id}/ufficio-di-piano`, 'togli');
    expect(last.statusCode).toBe(409);
    expect(last.body).toContain('È l&#x27;ultima persona dell&#x27;Ufficio di Piano');
    expect(await members()).toEqual([coordinator.id]);

    const added = await form(`/persone/${responsabile.id}/ufficio-di-piano`, 'aggiungi');
    expect(added.statusCode).toBe(303);
    expect(await members()).toEqual([coordinator.id, responsabile.id].sort());
  });
});
