/**
 * The kinds of governance body and of annual deliverable the product knows. The database enums use the
 * same values (see prisma/schema.prisma), so a kind read from a row can be used here without mapping.
 */
import { z } from 'zod';

export const BodyKind = z.enum([
  'assemblea_sindaci',
  'comitato_ristretto',
  'udp_nucleo_operativo',
  'udp_coordinamento_tecnico',
  'udp_integrato',
  'assemblea_sub_ambito',
  'cabina_di_regia',
  'sovraintendenza',
]);
export type BodyKind = z.infer<typeof BodyKind>;

export const DeliverableKind = z.enum(['piano_operativo', 'report_annuale', 'aggiornamento_semestrale']);
export type DeliverableKind = z.infer<typeof DeliverableKind>;
