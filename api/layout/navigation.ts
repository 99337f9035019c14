/**
 * The navigation bar: the Ufficio di Piano's screens, each shown only to whom the policy lets use it, so a
 * mayor signed in to read a verbale does not meet links that would answer 403.
 */
import type { Principal } from '../../domain/policy';
import type { Viewer } from '../auth/access';

interface Entry {
  label: string;
  href: string;
  /** Who sees the entry. */
  shownTo: (principal: Principal) => boolean;
}

const office = (p: Principal) => p.udpOf.length > 0 || p.oversightOf.length > 0;
const manager = (p: Principal) => p.udpOf.length > 0;

const ENTRIES: Entry[] = [
  { label: 'Oggi', href: '/', shownTo: office },
  // ATS, convening the Cabina di Regia, sees there the sessions of every ambito it serves.
  { label: 'Calendario', href: '/calendario', shownTo: (p) => office(p) || p.convenerOf.length > 0 },
  { label: 'Organi', href: '/organi', shownTo: office },
  { label: 'Persone', href: '/persone', shownTo: manager },
  { label: 'Scadenze', href: '/scadenze', shownTo: office },
  { label: 'Posta', href: '/posta', shownTo: manager },
  { label: 'Nuova seduta', href: '/sedute/nuova', shownTo: (p) => manager(p) || p.convenerOf.length > 0 },
  { label: 'Presenze', href: '/presenze', shownTo: () => true },
  { label: 'Monitoraggio', href: '/monitoraggio', shownTo: office },
  { label: 'Le mie riunioni', href: '/mie-riunioni', shownTo: () => true },
  { label: 'Profilo', href: '/profilo', shownTo: () => true },
];

export interface NavigationLink {
  label: string;
  href: string;
  current: boolean;
}

/** The entries for this viewer; `path` marks the current one (aria-current). Anonymous visitors get none. */
export function navigationFor(viewer: Viewer | null | undefined, path: string): NavigationLink[] {
  if (!viewer) return [];
  return ENTRIES.filter((entry) => entry.shownTo(viewer.principal)).map((entry) => ({
    label: entry.label,
    href: entry.href,
    current: entry.href === '/' ? path === '/' : path === entry.href || path.startsWith(`${entry.href}/`),
  }));
}
