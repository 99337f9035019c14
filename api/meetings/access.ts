/** Who may call a meeting route (domain/policy.ts), on the meeting named by `:id`. */
import type { Action } from '../../domain/policy';
import type { RouteAccess } from '../auth/access';

export const may = (action: Action) => ({ access: { action, on: 'meeting' } satisfies RouteAccess });
