/**
 * The import of a people spreadsheet, in two steps that share one code path: `planImport` reads the file's
 * rows against the database and says, row by row, what would change and what is wrong; `commitImport` plans
 * again inside one transaction and applies exactly that plan, or nothing when any row has a problem. So a
 * commit never does what the preview did not show, and a file imported twice changes nothing the second time
 * (every row then plans to "nessuna modifica").
 *
 * A row is a person (matched by e-mail: an existing one is updated, a new one created), their organisation
 * or comune, optionally a seat they take (by seat code or role, e.g. "Sindaco di Pandino": the same seat on
 * every body that has it) and the e-mail of the seat's standing delegate (a person in another row of the
 * file, or already registered). Taking a seat held by a placeholder replaces the placeholder wholesale
 * (operations.ts, movePlaceholder); taking one held by a real person ends their membership yesterday.
 */
import type { Database, Prisma } from '../../../prisma/client';
import { romeDateColumn } from '../../../prisma/date-columns';
import { heldOn } from '../../../prisma/membership-days';
import { RequestRejected, type FieldProblem } from '../../errors';
import { changedFields, listedIn, movePlaceholder, organisationsOf, type PeopleContext } from '../operations';
import { EmailAddress, FullName, OptionalPec, type PersonInput } from '../schemas';
import { COLUMN_HEADER, normalised, type ColumnKey, type ImportRow } from './columns';

type Tx = Prisma.TransactionClient;

export interface RowProblem {
  campo: ColumnKey;
  messaggio: string;
}

type SeatAction =
  | { kind: 'replace'; placeholderId: string }
  | { kind: 'take'; seatId: string; endMembershipId: string | null }
  | { kind: 'delegate'; seatId: string };

export interface RowPlan {
  riga: number;
  persona: string;
  email: string;
  esito: 'nuova' | 'aggiornata' | 'invariata' | 'errore';
  /** What saving the row does, in Italian, one sentence each. */
  modifiche: string[];
  problemi: RowProblem[];
  /** For the commit only. */
  person?: { id: string | null; input: PersonInput; changed: boolean };
  actions?: SeatAction[];
  delegateEmail?: string | null;
}

export interface ImportPlan {
  righe: RowPlan[];
  valido: boolean;
  riepilogo: { righe: number; nuove: number; aggiornate: number; invariate: number; errori: number };
}

interface SeatInfo {
  id: string;
  code: string;
  role: string;
  allowsDelegate: boolean;
  bodyName: string;
  holders: {
    membershipId: string;
    validFrom: Date;
    person: { id: string; fullName: string; email: string; isPlaceholder: boolean };
    delegate: { id: string; email: string } | null;
  }[];
}

async function loadWorld(tx: Tx | Database, ambitoId: string, emails: string[], now: Date) {
  // One after the other: inside the commit's transaction the queries share one connection.
  const organisations = await organisationsOf(tx, ambitoId);
  const comuni = await tx.comune.findMany({
    where: { ambitoId },
    select: { name: true, aliases: { select: { alias: true } }, organisation: { select: { id: true } } },
  });
  const seats = await tx.seat.findMany({
    where: { body: { ambitoId, active: true } },
    orderBy: [{ body: { name: 'asc' } }],
    select: {
      id: true,
      code: true,
      role: true,
      allowsDelegate: true,
      body: { select: { name: true } },
      memberships: {
        where: heldOn(now),
        select: {
          id: true,
          validFrom: true,
          person: { select: { id: true, fullName: true, email: true, isPlaceholder: true } },
          delegate: { select: { id: true, email: true } },
        },
      },
    },
  });
  const people = await tx.person.findMany({
    where: { email: { in: emails } },
    select: {
      id: true,
      fullName: true,
      email: true,
      pecEmail: true,
      organisationId: true,
      isPlaceholder: true,
    },
  });
  const inAmbito = new Set(
    (
      await tx.person.findMany({
        where: { AND: [{ id: { in: people.map((p) => p.id) } }, listedIn(ambitoId)] },
        select: { id: true },
      })
    ).map((p) => p.id),
  );
  // Organisations by name, and comuni by name, alias and "Comune di <name>".
  const organisationByName = new Map<string, { id: string; name: string }>();
  for (const o of organisations) organisationByName.set(normalised(o.name), o);
  const nameOf = new Map(organisations.map((o) => [o.id, o.name]));
  for (const c of comuni) {
    if (!c.organisation) continue;
    const org = { id: c.organisation.id, name: nameOf.get(c.organisation.id) ?? c.name };
    for (const name of [c.name, ...c.aliases.map((a) => a.alias)]) {
      organisationByName.set(normalised(name), org);
      organisationByName.set(normalised(`Comune di ${name}`), org);
    }
  }
  const seatInfos: SeatInfo[] = seats.map((s) => ({
    id: s.id,
    code: s.code,
    role: s.role,
    allowsDelegate: s.allowsDelegate,
    bodyName: s.body.name,
    holders: s.memberships.map((m) => ({
      membershipId: m.id,
      validFrom: m.validFrom,
      person: m.person,
      delegate: m.delegate,
    })),
  }));
  const seatsByName = new Map<string, SeatInfo[]>();
  for (const seat of seatInfos)
    for (const name of new Set([normalised(seat.code), normalised(seat.role)]))
      seatsByName.set(name, [...(seatsByName.get(name) ?? []), seat]);
  return {
    organisationByName,
    seatsByName,
    seatInfos,
    people: new Map(people.map((p) => [p.email, { ...p, inAmbito: inAmbito.has(p.id) }])),
  };
}

const problem = (campo: ColumnKey, messaggio: string): RowProblem => ({ campo, messaggio });

/** The first zod message for a cell, or null when it is valid. */
function check<T>(
  schema: {
    safeParse(
      v: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } };
  },
  value: string,
) {
  const parsed = schema.safeParse(value);
  return parsed.success
    ? { ok: true as const, value: parsed.data }
    : { ok: false as const, message: parsed.error.issues[0]?.message ?? 'valore non valido' };
}

const where = (seats: SeatInfo[]) => [...new Set(seats.map((s) => s.bodyName))].join(', ');

/** What importing `rows` would do in the ambito now: read-only. */
export async function planImport(
  tx: Tx | Database,
  ambitoId: string,
  rows: ImportRow[],
  now: Date,
): Promise<ImportPlan> {
  const emails = [
    ...new Set(
      rows
        .flatMap((r) => [r.email, r.delegato])
        .map((e) => e.trim().toLowerCase())
        .filter((e) => e !== ''),
    ),
  ];
  const world = await loadWorld(tx, ambitoId, emails, now);
  const firstLineOf = new Map<string, number>();
  const seatClaimedBy = new Map<string, number>();
  const placeholderTakenBy = new Map<string, { line: number; email: string }>();
  const plans: RowPlan[] = [];

  for (const row of rows) {
    const problems: RowProblem[] = [];
    const changes: string[] = [];
    const name = check(FullName, row.persona);
    const email = check(EmailAddress, row.email);
    const pec = check(OptionalPec, row.pec);
    if (!name.ok) problems.push(problem('persona', name.message));
    if (!email.ok) problems.push(problem('email', email.message));
    if (!pec.ok) problems.push(problem('pec', pec.message));

    const organisation = world.organisationByName.get(normalised(row.organizzazione));
    if (row.organizzazione.trim() === '')
      problems.push(problem('organizzazione', 'indicare l’organizzazione o il comune'));
    else if (!organisation)
      problems.push(
        problem('organizzazione', `comune o organizzazione sconosciuta nell’ambito: «${row.organizzazione}»`),
      );

    let existing: ReturnType<typeof world.people.get>;
    if (email.ok) {
      const first = firstLineOf.get(email.value);
      if (first !== undefined) problems.push(problem('email', `e-mail ripetuta: è già alla riga ${first}`));
      else firstLineOf.set(email.value, row.riga);
      existing = world.people.get(email.value);
      if (existing && !existing.inAmbito)
        problems.push(problem('email', 'indirizzo di una persona di un altro ambito'));
      else if (existing?.isPlaceholder)
        problems.push(
          problem('email', 'è l’indirizzo di un segnaposto: indicare quello della persona reale'),
        );
    }

    let person: RowPlan['person'];
    if (name.ok && email.ok && pec.ok && organisation) {
      const input: PersonInput = {
        fullName: name.value,
        email: email.value,
        pecEmail: pec.value,
        organisationId: organisation.id,
      };
      if (!existing) {
        person = { id: null, input, changed: true };
        changes.push(`Nuova persona: ${input.fullName} <${input.email}>, ${organisation.name}`);
      } else {
        const changed = changedFields({ ...existing, organisationId: existing.organisationId ?? '' }, input);
        person = { id: existing.id, input, changed: Object.keys(changed).length > 0 };
        if (changed.fullName) changes.push(`Nome: ${existing.fullName} → ${input.fullName}`);
        if (changed.pecEmail) changes.push(`PEC: ${existing.pecEmail ?? '–'} → ${input.pecEmail ?? '–'}`);
        if (changed.organisationId) changes.push(`Organizzazione: → ${organisation.name}`);
      }
    }

    // The seat, and who holds it now.
    const actions: SeatAction[] = [];
    let seats: SeatInfo[] = [];
    if (row.seggio.trim() !== '') {
      seats = world.seatsByName.get(normalised(row.seggio)) ?? [];
      if (seats.length === 0) problems.push(problem('seggio', `seggio sconosciuto: «${row.seggio}»`));
      const claimed = seatClaimedBy.get(normalised(row.seggio));
      if (seats.length > 0 && claimed !== undefined)
        problems.push(problem('seggio', `seggio già assegnato alla riga ${claimed}`));
      else seatClaimedBy.set(normalised(row.seggio), row.riga);
    }
    if (email.ok && seats.length > 0) {
      for (const seat of seats) {
        const holders = seat.holders.filter((h) => h.person.email !== email.value);
        if (holders.length < seat.holders.length) continue; // already theirs
        const placeholder = holders.find((h) => h.person.isPlaceholder);
        if (placeholder) {
          const taken = placeholderTakenBy.get(placeholder.person.id);
          if (taken && taken.email !== email.value)
            problems.push(
              problem('seggio', `${placeholder.person.fullName} è già sostituito dalla riga ${taken.line}`),
            );
          else if (!taken) {
            placeholderTakenBy.set(placeholder.person.id, { line: row.riga, email: email.value });
            const all = world.seatInfos.filter((s) =>
              s.holders.some((h) => h.person.id === placeholder.person.id),
            );
            actions.push({ kind: 'replace', placeholderId: placeholder.person.id });
            changes.push(
              `Sostituisce il segnaposto «${placeholder.person.fullName}»: prende ${all.length === 1 ? 'il suo seggio' : `i suoi ${all.length} seggi`} (${where(all)}), gli inviti alle sedute future e i messaggi non ancora inviati`,
            );
          }
          continue;
        }
        const current = holders[0];
        actions.push({ kind: 'take', seatId: seat.id, endMembershipId: current?.membershipId ?? null });
        changes.push(
          current
            ? `${seat.role} (${seat.bodyName}): al posto di ${current.person.fullName}, da oggi`
            : `${seat.role} (${seat.bodyName}): seggio vacante, da oggi`,
        );
      }
    }

    // The standing delegate.
    const delegateEmail = row.delegato.trim().toLowerCase();
    let delegate: string | null = null;
    if (delegateEmail !== '') {
      const parsed = check(EmailAddress, delegateEmail);
      const inFile = rows.some((r) => r !== row && r.email.trim().toLowerCase() === delegateEmail);
      const registered = world.people.get(delegateEmail);
      if (!parsed.ok) problems.push(problem('delegato', parsed.message));
      else if (email.ok && delegateEmail === email.value)
        problems.push(problem('delegato', 'una persona non può essere delegata di sé stessa'));
      else if (!inFile && !(registered?.inAmbito && !registered.isPlaceholder))
        problems.push(
          problem(
            'delegato',
            'persona sconosciuta: aggiungerla in un’altra riga del file o registrarla prima',
          ),
        );
      else if (row.seggio.trim() === '')
        problems.push(problem('seggio', 'indicare il seggio di cui è delegato permanente'));
      else if (seats.some((s) => !s.allowsDelegate))
        problems.push(problem('delegato', 'questo seggio non ammette delegati'));
      else {
        delegate = delegateEmail;
        for (const seat of seats) {
          const mine = seat.holders.find((h) => h.person.email === email.value);
          if (mine?.delegate?.email === delegateEmail) continue;
          actions.push({ kind: 'delegate', seatId: seat.id });
          changes.push(`Delegato permanente per ${seat.role} (${seat.bodyName}): ${delegateEmail}`);
        }
      }
    }

    const esito = problems.length
      ? 'errore'
      : !person?.id
        ? 'nuova'
        : person.changed || actions.length
          ? 'aggiornata'
          : 'invariata';
    plans.push({
      riga: row.riga,
      persona: row.persona,
      email: row.email,
      esito,
      modifiche: problems.length ? [] : changes,
      problemi: problems,
      person,
      actions,
      delegateEmail: delegate,
    });
  }
  const count = (esito: RowPlan['esito']) => plans.filter((p) => p.esito === esito).length;
  return {
    righe: plans,
    valido: count('errore') === 0,
    riepilogo: {
      righe: plans.length,
      nuove: count('nuova'),
      aggiornate: count('aggiornata'),
      invariate: count('invariata'),
      errori: count('errore'),
    },
  };
}

/** The plan as the API and the preview page show it (without what only the commit needs). */
export function publicPlan(plan: ImportPlan) {
  return {
    ...plan,
    righe: plan.righe.map(({ person: _p, actions: _a, delegateEmail: _d, ...row }) => ({
      ...row,
      problemi: row.problemi.map((p) => ({ ...p, colonna: COLUMN_HEADER[p.campo] })),
    })),
  };
}

/** Every problem as the error body names fields: `riga.<n>.<colonna>`. */
export function planProblems(plan: ImportPlan): FieldProblem[] {
  return plan.righe.flatMap((r) =>
    r.problemi.map((p) => ({ field: `riga.${r.riga}.${p.campo}`, message: p.messaggio })),
  );
}

/**
 * Plans again and applies the plan in one transaction; refuses the whole file (422, nothing saved) when a
 * row has a problem, naming each.
 */
export async function commitImport(ctx: PeopleContext, rows: ImportRow[]) {
  return ctx.db
    .$transaction(
      async (tx) => {
        // One import of the ambito at a time: the same file sent twice at once was planned twice against
        // the same people, and the second to create them failed on the unique address (a 500). Planned
        // after the first has committed, it finds nothing to change.
        await tx.$queryRaw`SELECT 1 AS locked FROM "Ambito" WHERE "id" = ${ctx.ambitoId}::uuid FOR UPDATE`;
        const plan = await planImport(tx, ctx.ambitoId, rows, ctx.now);
        if (!plan.valido) {
          throw new RequestRejected(
            422,
            'importazione_non_valida',
            `${plan.riepilogo.errori} righe da correggere: nulla è stato importato.`,
            planProblems(plan),
          );
        }
        const convocationKeys = await applyPlan(tx, ctx, plan);
        return { plan, convocationKeys };
      },
      { timeout: 60_000 },
    )
    .then(async ({ plan, convocationKeys }) => {
      await ctx.latecomers?.deliverLate(convocationKeys);
      return plan;
    });
}

/**
 * Applies the plan; returns the keys of the convocations stored for people who replaced placeholders or now
 * represent a seat of a session already convened.
 */
async function applyPlan(tx: Tx, ctx: PeopleContext, plan: ImportPlan): Promise<string[]> {
  const audit = (action: string, entityId: string, data: Prisma.InputJsonValue) =>
    tx.auditEvent.create({ data: { actor: ctx.actor, action, entity: 'person', entityId, data } });
  const idOf = new Map<string, string>();
  const people = new Map<string, { id: string; fullName: string; email: string; pecEmail: string | null }>();
  // People first: a delegate may be created by a later row.
  for (const row of plan.righe) {
    const { id, input, changed } = row.person!;
    if (!id) {
      const created = await tx.person.create({ data: input });
      await audit('person.created', created.id, { ...input, via: 'importazione' });
      people.set(input.email, created);
    } else if (changed) {
      people.set(input.email, await tx.person.update({ where: { id }, data: input }));
      await audit('person.updated', id, { ...input, via: 'importazione' });
    } else people.set(input.email, { id, ...input });
    idOf.set(input.email, people.get(input.email)!.id);
  }
  const today = romeDateColumn(ctx.now);
  const yesterday = new Date(today.getTime() - 86_400_000);
  const convocationKeys: string[] = [];
  for (const row of plan.righe) {
    const person = people.get(row.person!.input.email)!;
    for (const action of row.actions ?? []) {
      if (action.kind === 'replace') {
        convocationKeys.push(
          ...(await movePlaceholder(tx, ctx, action.placeholderId, person)).convocationKeys,
        );
      } else if (action.kind === 'take') {
        if (action.endMembershipId) {
          const ending = await tx.membership.findUniqueOrThrow({ where: { id: action.endMembershipId } });
          // A membership that began today never held: it goes, rather than end before it began.
          if (ending.validFrom >= today) await tx.membership.delete({ where: { id: ending.id } });
          else await tx.membership.update({ where: { id: ending.id }, data: { validTo: yesterday } });
        }
        const { id } = await tx.membership.create({
          data: { seatId: action.seatId, personId: person.id, validFrom: today },
        });
        await audit('membership.holder_changed', person.id, {
          seatId: action.seatId,
          membershipId: id,
          ended: action.endMembershipId,
        });
        // Sessions already convened: the new holder gets the convocation with the change (answering.ts).
        convocationKeys.push(...((await ctx.latecomers?.convokeSeat(tx, action.seatId, ctx.now)) ?? []));
      } else {
        const delegateId =
          idOf.get(row.delegateEmail!) ??
          (
            await tx.person.findUniqueOrThrow({
              where: { email: row.delegateEmail! },
              select: { id: true },
            })
          ).id;
        await tx.membership.updateMany({
          where: { seatId: action.seatId, personId: person.id, ...heldOn(ctx.now) },
          data: { delegatePersonId: delegateId },
        });
        await audit('membership.delegate_set', person.id, { seatId: action.seatId, delegateId });
        convocationKeys.push(...((await ctx.latecomers?.convokeSeat(tx, action.seatId, ctx.now)) ?? []));
      }
    }
  }
  return convocationKeys;
}
