/** Escaping for the few server-rendered pages of this module (development mailbox, answer pages). */
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A minimal accessible page: works without JavaScript, readable on a phone. */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="it"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,Arial,sans-serif;max-width:900px;margin:0 auto;padding:16px;line-height:1.45;color:#1a1a1a}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:6px;text-align:left;vertical-align:top}
pre{white-space:pre-wrap;background:#f6f6f6;padding:12px;overflow-x:auto}.banner{background:#fff3cd;border:1px solid #e0c36c;padding:8px 12px}
.error{color:#a00}label{display:block;margin:6px 0}button{font-size:1rem;padding:8px 16px}input[type=text],input[type=email]{width:100%;max-width:420px;padding:6px}</style>
</head><body>${body}</body></html>`;
}
