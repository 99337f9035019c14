/**
 * The district's source data, copied verbatim from shared/domain (governance.md §7.5 and plan-objects.md
 * §5.8) into JSON files next to this module, and validated here so a damaged file fails with the field
 * named instead of seeding half a district.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const Territory = z.object({
  ambito: z.object({ name: z.string(), enteCapofila: z.string() }),
  subAmbiti: z
    .array(
      z.object({
        number: z.number().int().min(1),
        referente: z.string(),
        source: z.string(),
        comuni: z.array(z.string()).min(1),
      }),
    )
    .min(1),
  aliases: z.record(z.string(), z.array(z.string())),
});
export type Territory = z.infer<typeof Territory>;

const Target = z.object({
  raw: z.string(),
  comparator: z.enum(['>=', '<=', '=']),
  value: z.union([z.number(), z.boolean()]),
  unit: z.string(),
  minPerSubambito: z.number().int().optional(),
  note: z.string().optional(),
});

const PlanObjectives = z.object({
  plan: z.object({
    code: z.string(),
    titleIt: z.string(),
    source: z.string(),
    periods: z.record(
      z.string(),
      z.object({ labelIt: z.string(), assumedCalendarYear: z.number().int(), source: z.string() }),
    ),
    periodNote: z.string(),
  }),
  macroActions: z.array(
    z.object({
      id: z.string(),
      problemIt: z.string(),
      changeIt: z.string().nullable(),
      macroActionIt: z.string(),
      macroActionEn: z.string(),
      source: z.string(),
    }),
  ),
  objectives: z.array(
    z.object({
      id: z.string(),
      macroActionId: z.string(),
      titleIt: z.string(),
      titleEn: z.string(),
      policyAreaRaw: z.string().nullable().optional(),
      policyAreas: z.array(z.string()),
      progettoPremiale: z.boolean(),
      indicators: z.array(
        z.object({
          key: z.string(),
          labelIt: z.string(),
          labelEn: z.string(),
          kind: z.enum(['count', 'meeting_count', 'deliverable_count', 'percentage', 'boolean']),
          isResultIndicator: z.boolean(),
          targets: z.record(z.string(), Target),
        }),
      ),
      recipientsIt: z.string().nullable().optional(),
      actors: z.array(z.string()),
      source: z.string(),
      notes: z.string().nullable().optional(),
    }),
  ),
});
export type PlanObjectives = z.infer<typeof PlanObjectives>;

function load<T>(schema: z.ZodType<T>, file: string): T {
  const json: unknown = JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8'));
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`Dati di seed non validi in prisma/seed/${file}: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export const loadTerritory = () => load(Territory, './cremasco.json');
export const loadPlanObjectives = () => load(PlanObjectives, './pdz-2021-2023.json');
