/**
 * The bodies an ambito works with (its own and those spanning several ambiti, like ATS's Cabina di Regia),
 * with the rules their series follow (domain/body-rules.ts, activities/series-rules.ts).
 */
import { ACTIVE_SERIES, seriesRulesOf } from '../../activities/series-rules';
import { HolidayCalendar } from '../../domain/index';
import type { Database } from '../../prisma/client';

/** The ambito's holidays: the national ones and its own local feasts (a comune's feasts are not the ambito's). */
export async function ambitoHolidays(db: Database, ambitoId: string) {
  const feasts = await db.localFeastDay.findMany({ where: { ambitoId, comuneId: null } });
  return new HolidayCalendar(feasts.map(({ month, day, name }) => ({ month, day, name })));
}

export async function loadBodies(db: Database, ambitoId: string) {
  const rows = await db.body.findMany({
    where: { active: true, OR: [{ ambitoId }, { spansAmbiti: { some: { ambitoId } } }] },
    include: {
      subAmbito: { select: { number: true, name: true } },
      convenerOrganisation: { select: { name: true } },
      series: { ...ACTIVE_SERIES, select: { rulesOverride: true } },
    },
    orderBy: [{ kind: 'asc' }, { code: 'asc' }],
  });
  return rows.map(({ series, ...row }) => {
    // The rules the body's series follows: its own with the series' stored override on top. Both are
    // validated on every write; a row that fails here was edited behind the service's back.
    try {
      return { ...row, rules: seriesRulesOf({ rules: row.rules, series }) };
    } catch (error) {
      throw new Error(
        `Regole non valide nel database per l'organo ${row.code}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  });
}
