/**
 * Validation messages reach people (configuration errors, API 400s): zod's generic ones in Italian, like
 * every message we write ourselves. Imported for its side effect by every module that validates input.
 */
import { z } from 'zod';

z.config(z.locales.it());
