/**
 * A comparable description of a database's public schema, read from pg_catalog: tables, columns with type,
 * nullability and default, enums, primary keys, unique constraints and indexes, and foreign keys.
 */
import pg from 'pg';

export interface Catalog {
  columns: string[];
  enums: string[];
  indexes: string[];
  constraints: string[];
}

const QUERIES = {
  columns: `
    SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
           || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE ' NULL' END
           || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') AS line
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid AND c.relkind = 'r'
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_prisma_migrations'`,
  enums: `
    SELECT t.typname || ' = ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS line
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
    JOIN pg_namespace n ON n.oid = t.typnamespace AND n.nspname = 'public'
    GROUP BY t.typname`,
  indexes: `
    SELECT indexdef AS line FROM pg_indexes
    WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
  constraints: `
    SELECT c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid) AS line
    FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
    WHERE k.contype IN ('p', 'u', 'f', 'c') AND c.relname <> '_prisma_migrations'`,
} as const;

export async function readCatalog(connectionString: string): Promise<Catalog> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const read = async (sql: string) =>
      (await client.query<{ line: string }>(sql)).rows.map((r) => r.line).sort();
    return {
      columns: await read(QUERIES.columns),
      enums: await read(QUERIES.enums),
      indexes: await read(QUERIES.indexes),
      constraints: await read(QUERIES.constraints),
    };
  } finally {
    await client.end();
  }
}
