/** A file part of a multipart body; the field is `file` and the type application/octet-stream unless given. */
export interface FilePart {
  field?: string;
  filename: string;
  contentType?: string;
  content: Buffer;
}

const BOUNDARY = 'confine-dei-test';

/**
 * A multipart/form-data body as a browser sends a form: its text fields, then at most one file. Returns the
 * payload and the Content-Type header that announces its boundary.
 */
export function multipartForm(
  fields: [string, string][],
  file: FilePart | null = null,
): { payload: Buffer; contentType: string } {
  const part = (disposition: string, type = '') =>
    `--${BOUNDARY}\r\nContent-Disposition: form-data; ${disposition}\r\n${type}\r\n`;
  const text = fields.map(([name, value]) => `${part(`name="${name}"`)}${value}\r\n`).join('');
  const payload = Buffer.concat([
    Buffer.from(text),
    ...(file
      ? [
          Buffer.from(
            part(
              `name="${file.field ?? 'file'}"; filename="${file.filename}"`,
              `Content-Type: ${file.contentType ?? 'application/octet-stream'}\r\n`,
            ),
          ),
          file.content,
          Buffer.from('\r\n'),
        ]
      : []),
    Buffer.from(`--${BOUNDARY}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${BOUNDARY}` };
}
