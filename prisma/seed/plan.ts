/** The Piano di Zona 2021-2023: macro-actions, objectives, indicators and their targets per period. */
import type { Prisma } from '../client';
import type { PlanObjectives } from './data';

type Tx = Prisma.TransactionClient;

const COMPARATORS = { '>=': 'gte', '<=': 'lte', '=': 'eq' } as const;

export async function seedPlan(tx: Tx, ambitoId: string, data: PlanObjectives): Promise<void> {
  await tx.plan.createMany({
    data: [
      {
        ambitoId,
        code: data.plan.code,
        kind: 'piano_di_zona',
        title: data.plan.titleIt,
        periodStart: new Date('2021-01-01T00:00:00Z'),
        periodEnd: new Date('2023-12-31T00:00:00Z'),
        source: data.plan.source,
        notes: data.plan.periodNote,
      },
    ],
    skipDuplicates: true,
  });
  const plan = await tx.plan.findUniqueOrThrow({
    where: { ambitoId_code: { ambitoId, code: data.plan.code } },
  });
  const planId = plan.id;

  await tx.planPeriod.createMany({
    data: Object.entries(data.plan.periods).map(([key, p]) => ({
      planId,
      key,
      label: p.labelIt,
      calendarYear: p.assumedCalendarYear,
      source: p.source,
    })),
    skipDuplicates: true,
  });
  const periods = new Map(
    (await tx.planPeriod.findMany({ where: { planId } })).map((p) => [p.key, p.id] as const),
  );

  await tx.macroAction.createMany({
    data: data.macroActions.map((m) => ({
      planId,
      code: m.id,
      titleIt: m.macroActionIt,
      titleEn: m.macroActionEn,
      problemIt: m.problemIt,
      changeIt: m.changeIt,
      source: m.source,
    })),
    skipDuplicates: true,
  });
  const macroActions = new Map(
    (await tx.macroAction.findMany({ where: { planId } })).map((m) => [m.code, m.id] as const),
  );

  await tx.objective.createMany({
    data: data.objectives.map((o) => {
      const macroActionId = macroActions.get(o.macroActionId);
      if (!macroActionId) throw new Error(`Obiettivo ${o.id}: macro-azione ${o.macroActionId} sconosciuta.`);
      return {
        planId,
        macroActionId,
        code: o.id,
        titleIt: o.titleIt,
        titleEn: o.titleEn,
        policyAreaRaw: o.policyAreaRaw ?? null,
        policyAreas: o.policyAreas,
        progettoPremiale: o.progettoPremiale,
        recipients: o.recipientsIt ?? null,
        actors: o.actors,
        source: o.source,
        notes: o.notes ?? null,
      };
    }),
    skipDuplicates: true,
  });
  const objectives = new Map(
    (await tx.objective.findMany({ where: { planId } })).map((o) => [o.code, o.id] as const),
  );

  await tx.indicator.createMany({
    data: data.objectives.flatMap((o) =>
      o.indicators.map((i) => ({
        objectiveId: objectives.get(o.id)!,
        key: i.key,
        labelIt: i.labelIt,
        labelEn: i.labelEn,
        kind: i.kind,
        isResultIndicator: i.isResultIndicator,
      })),
    ),
    skipDuplicates: true,
  });
  const indicators = new Map(
    (await tx.indicator.findMany({ where: { objective: { planId } } })).map((i) => [i.key, i.id] as const),
  );

  await tx.indicatorTarget.createMany({
    data: data.objectives.flatMap((o) =>
      o.indicators.flatMap((i) =>
        Object.entries(i.targets).map(([periodKey, t]) => {
          const periodId = periods.get(periodKey);
          if (!periodId) throw new Error(`Indicatore ${i.key}: periodo ${periodKey} sconosciuto.`);
          return {
            indicatorId: indicators.get(i.key)!,
            periodId,
            raw: t.raw,
            comparator: COMPARATORS[t.comparator],
            numericValue: typeof t.value === 'number' ? t.value : null,
            booleanValue: typeof t.value === 'boolean' ? t.value : null,
            unit: t.unit,
            minPerSubAmbito: t.minPerSubambito ?? null,
            note: t.note ?? null,
          };
        }),
      ),
    ),
    skipDuplicates: true,
  });
}
