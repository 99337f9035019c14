/**
 * Default rules for each kind of body. Facts from the 2018 Accordo di Programma are cited; everything marked
 * ASSUMPTION is ours, because the sources are silent, and is meant to be changed per body by the coordinator.
 */
import type { BodyRules } from './body-rules';
import type { BodyKind } from './kinds';

const ALL_MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

/** By analogy with municipal councils: 5 giorni liberi for ordinary sessions, 24 hours when urgent. */
const NOTICE = { ordinaryFreeDays: 5, urgentHours: 24 } as const;

/** ASSUMPTION: the seeds hold no quorum rule; simple majority of the seats, delegates count. */
const MAJORITY = { numerator: 1, denominator: 2, strictlyMoreThan: true, delegatesCount: true } as const;

const NO_MINUTES = { required: false, deadlineDays: 30 } as const;
const NO_COMPLIANCE = { everyCalendarMonth: false } as const;

export const DEFAULT_RULES: Record<BodyKind, BodyRules> = {
  // Approves the Report annuale (by 30 April, 000:L919) and the Piano Operativo for Y+1 (by December,
  // 000:L907-909); July hosts the recommended semestral update (000:L919-921).
  // ASSUMPTION: third Thursday of April, July and December at 18:00, after that month's Comitato Ristretto
  // (first Tuesday), which reviews what the Assemblea approves (000:L337-341).
  assemblea_sindaci: {
    cadence: {
      months: [4, 7, 12],
      nth: 3,
      weekday: 4,
      time: '18:00',
      durationMinutes: 120,
      onHoliday: 'next-working-day',
    },
    notice: NOTICE,
    minutes: { required: true, deadlineDays: 30 },
    compliance: NO_COMPLIANCE,
    quorum: MAJORITY,
  },
  // "convocazione di norma mensile" with minutes and circulation (000:L367-371); it prepares the documents
  // the Assemblea approves (000:L337-341).
  // ASSUMPTION: first Tuesday of every month at 18:00; minutes due 15 days after the meeting. The first
  // Tuesday meets before the convocation of that month's Assemblea (third Thursday, 5 giorni liberi) leaves,
  // so the mayors are convened on a reviewed text (plan-order.test.ts walks 2025-2045); the second Tuesday
  // met after it whenever the month began on a Wednesday or Thursday (December 2027).
  comitato_ristretto: {
    cadence: {
      months: ALL_MONTHS,
      nth: 1,
      weekday: 2,
      time: '18:00',
      durationMinutes: 120,
      onHoliday: 'next-working-day',
    },
    notice: NOTICE,
    minutes: { required: true, deadlineDays: 15 },
    compliance: { everyCalendarMonth: true },
    quorum: MAJORITY,
  },
  // "numero minimo di 4 incontri all'anno" (000:L735-737).
  // ASSUMPTION: third Wednesday of February, May, September and November at 18:00 (no January or August).
  assemblea_sub_ambito: {
    cadence: {
      months: [2, 5, 9, 11],
      nth: 3,
      weekday: 3,
      time: '18:00',
      durationMinutes: 120,
      onHoliday: 'next-working-day',
    },
    notice: NOTICE,
    minutes: NO_MINUTES,
    compliance: { everyCalendarMonth: false, minPerYear: 4 },
    quorum: MAJORITY,
  },
  // ATS convenes it "con cadenza almeno quadrimestrale" (000:L856-858); the district wants quarterly.
  // ASSUMPTION: second Wednesday of March, June, September and December at 10:00 (an office-hours body).
  cabina_di_regia: {
    cadence: {
      months: [3, 6, 9, 12],
      nth: 2,
      weekday: 3,
      time: '10:00',
      durationMinutes: 180,
      onHoliday: 'next-working-day',
    },
    notice: NOTICE,
    minutes: NO_MINUTES,
    compliance: { everyCalendarMonth: false, maxGapMonths: 4 },
    quorum: MAJORITY,
  },
  // The UdP levels and the Sovraintendenza have no cadence in the sources: meetings are planned by hand.
  udp_nucleo_operativo: {
    cadence: null,
    notice: NOTICE,
    minutes: NO_MINUTES,
    compliance: NO_COMPLIANCE,
    quorum: MAJORITY,
  },
  udp_coordinamento_tecnico: {
    cadence: null,
    notice: NOTICE,
    minutes: NO_MINUTES,
    compliance: NO_COMPLIANCE,
    quorum: MAJORITY,
  },
  udp_integrato: {
    cadence: null,
    notice: NOTICE,
    minutes: NO_MINUTES,
    compliance: NO_COMPLIANCE,
    quorum: MAJORITY,
  },
  sovraintendenza: {
    cadence: null,
    notice: NOTICE,
    minutes: NO_MINUTES,
    compliance: NO_COMPLIANCE,
    quorum: MAJORITY,
  },
};
