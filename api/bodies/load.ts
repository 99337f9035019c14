/**
 * The bodies an ambito works with (its own and those spanning several ambiti, like ATS's Cabina di Regia),
 * with their rules parsed by the one schema in domain/body-rules.ts.
 */
import { BodyRules } from '../../domain';
import type { Database } from '../../prisma/client';

export async function loadBodies(db: Database, ambitoId: string) {
  const rows = await db.body.findMany({
    where: { active: true, OR: [{ ambitoId }, { spansAmbiti: { some: { ambitoId } } }] },
    include: {
      subAmbito: { select: { number: true, name: true } },
      convenerOrganisation: { select: { name: true } },
    },
    orderBy: [{ kind: 'asc' }, { code: 'asc' }],
  });
  return rows.map((row) => {
    const rules = BodyRules.safeParse(row.rules);
    // Rules are validated on every write; a row that fails here was edited behind the service's back.
    if (!rules.success)
      throw new Error(`Regole non valide nel database per l'organo ${row.code}: ${rules.error.message}`);
    return { ...row, rules: rules.data };
  });
}
