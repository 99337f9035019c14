/**
 * readUploadedFile answers every broken upload with an Italian refusal naming the `file` field, never a 500:
 * real Fastify and @fastify/multipart, driven with the bytes a broken client would send.
 */
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from './errors';
import { readUploadedFile } from './upload';

const WORDING = {
  notMultipart: 'Inviare il file come multipart/form-data.',
  noFile: 'Nessun file allegato.',
  tooLarge: 'Il file supera i 16 byte.',
  empty: 'Il file è vuoto.',
};
const BOUNDARY = 'confine';
const FILE_HEADER = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n`;
const END = `\r\n--${BOUNDARY}--\r\n`;

let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify({ logger: false });
  registerErrorHandling(app);
  await app.register(multipart, { limits: { fileSize: 16, files: 1, parts: 2 } });
  app.post('/carica', async (request) => {
    const { filename, content } = await readUploadedFile(request, WORDING);
    return { filename, text: content.toString() };
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
});

const post = (payload: string, contentType = `multipart/form-data; boundary=${BOUNDARY}`) =>
  app.inject({ method: 'POST', url: '/carica', headers: { 'content-type': contentType }, payload });

describe('readUploadedFile', () => {
  it('reads the file and the name the client gave it', async () => {
    const ok = await post(`${FILE_HEADER}ciao${END}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ filename: 'a.txt', text: 'ciao' });
  });

  it.each([
    ['cut short before the closing boundary', `${FILE_HEADER}ciao`, 400, 'invio incompleto'],
    [
      'whose only part has no name',
      `--${BOUNDARY}\r\nContent-Disposition\r\n\r\nciao${END}`,
      400,
      'file mancante',
    ],
    ['whose file is empty', `${FILE_HEADER}${END}`, 400, 'file vuoto'],
    [
      'without any file',
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="nota"\r\n\r\nciao${END}`,
      400,
      'file mancante',
    ],
    ['whose file is over the limit', `${FILE_HEADER}${'x'.repeat(17)}${END}`, 413, 'troppo grande'],
  ])('refuses an upload %s, naming the file field', async (_what, payload, status, field) => {
    const refused = await post(payload);
    expect(refused.statusCode).toBe(status);
    expect(refused.json<{ fields: unknown }>().fields).toEqual([{ field: 'file', message: field }]);
    expect(refused.json<{ message: string }>().message).toMatch(/^[A-Z].*\.$/);
  });

  it('refuses more parts than the route allows', async () => {
    const field = (name: string) =>
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\nx\r\n`;
    const refused = await post(`${field('a')}${field('b')}${FILE_HEADER}ciao${END}`);
    expect(refused.statusCode).toBe(413);
    expect(refused.json()).toMatchObject({ error: 'richiesta_troppo_grande', fields: [{ field: 'file' }] });
  });

  it('refuses a body that is not multipart, or multipart without a boundary', async () => {
    const json = await post('{}', 'application/json');
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ message: WORDING.notMultipart, fields: [{ field: 'file' }] });
    const noBoundary = await post(`${FILE_HEADER}ciao${END}`, 'multipart/form-data');
    expect(noBoundary.statusCode).toBe(400);
    expect(noBoundary.json()).toMatchObject({ error: 'richiesta_non_valida', fields: [{ field: 'file' }] });
  });
});
