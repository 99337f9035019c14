/**
 * A person signing in by e-mail link over real HTTP, as a browser with JavaScript off would: open the sign-in
 * page, send the form, open the link from the mailbox, press «Accedi». Cookies are kept like a browser's,
 * and `request` sends the CSRF token a page of the service would have put in its forms.
 */
import { simpleParser } from 'mailparser';
import type { Mailbox } from '../../notifications/catcher/mailbox';

/** What is read of a mailbox: the catcher's own, or one read again from its folder on each call. */
export type MailboxReader = Pick<Mailbox, 'list' | 'source'>;

export interface Visitor {
  /** Cookies as the browser holds them (name -> value). */
  cookies: Map<string, string>;
  request(
    path: string,
    init?: { method?: string; form?: Record<string, string>; json?: unknown },
  ): Promise<Response>;
  /** The CSRF token the last page carried in its forms. */
  csrf: string;
}

export function visitor(baseUrl: string): Visitor {
  const cookies = new Map<string, string>();
  const self: Visitor = {
    cookies,
    csrf: '',
    async request(path, init = {}) {
      const headers: Record<string, string> = {
        accept: 'text/html',
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      };
      let body: string | undefined;
      if (init.form !== undefined) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(init.form).toString();
      } else if (init.json !== undefined) {
        headers['content-type'] = 'application/json';
        headers['x-csrf-token'] = self.csrf;
        body = JSON.stringify(init.json);
      }
      const response = await fetch(new URL(path, baseUrl), {
        method: init.method ?? (body !== undefined ? 'POST' : 'GET'),
        headers,
        body,
        redirect: 'manual',
      });
      for (const line of response.headers.getSetCookie()) {
        const [pair, ...attributes] = line.split(';');
        const [name, ...value] = pair!.split('=');
        const cleared = attributes.some(
          (a) => /expires=thu, 01 jan 1970/i.test(a.trim()) || /max-age=0/i.test(a.trim()),
        );
        if (cleared) cookies.delete(name!.trim());
        else cookies.set(name!.trim(), value.join('='));
      }
      const type = response.headers.get('content-type') ?? '';
      if (type.includes('text/html')) {
        const html = await response.clone().text();
        const token = /name=['"]_csrf['"] value=['"]([^'"]+)['"]/.exec(html)?.[1];
        if (token) self.csrf = token;
      }
      return response;
    },
  };
  return self;
}

/** The newest sign-in link the mailbox holds for `email`, waiting for it to arrive (bounded). */
export async function signInLinkFor(mailbox: MailboxReader, email: string, after = 0): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const found = mailbox
      .list()
      .filter((m) => m.to.includes(email) && Date.parse(m.receivedAt) >= after)
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
    for (const meta of found) {
      const mail = await simpleParser(mailbox.source(meta.id)!);
      const link = /https?:\/\/\S+\/accesso\/link\/gl_[A-Za-z0-9_-]+/.exec(mail.text ?? '')?.[0];
      if (link) return link;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nessun collegamento di accesso per ${email}`);
}

/** Signs `email` in through the pages; returns the visitor holding the session cookie. */
export async function signInByEmail(
  baseUrl: string,
  mailbox: MailboxReader,
  email: string,
): Promise<Visitor> {
  const browser = visitor(baseUrl);
  const asked = Date.now() - 1000;
  await browser.request('/accesso');
  const sent = await browser.request('/accesso', { form: { email, _csrf: browser.csrf } });
  // The answer's text says which refusal it was (an overloaded process and an unreachable database both 503).
  if (sent.status !== 200)
    throw new Error(`POST /accesso: ${sent.status} ${(await sent.text()).slice(0, 300)}`);
  const link = new URL(await signInLinkFor(mailbox, email, asked));
  await browser.request(link.pathname);
  const confirmed = await browser.request('/accesso/link', {
    form: { link: link.pathname.split('/').pop()!, _csrf: browser.csrf },
  });
  if (confirmed.status !== 303 || !browser.cookies.has('sessione')) {
    throw new Error(`POST /accesso/link: ${confirmed.status} ${await confirmed.text()}`);
  }
  return browser;
}
