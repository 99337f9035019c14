import { describe, expect, it } from 'vitest';
import { approvingSession, deliverableDeadlines, stageDeadlines, type MeetingRef } from './deadlines';

const ads = (start: string): MeetingRef => ({
  bodyId: 'ads',
  bodyKind: 'assemblea_sindaci',
  start,
  convocationDeadline: start,
});
const cr = (start: string, convocationDeadline: string): MeetingRef => ({
  bodyId: 'cr',
  bodyKind: 'comitato_ristretto',
  start,
  convocationDeadline,
});

describe('deliverableDeadlines', () => {
  it('2027: Report annuale 2026 by 30 April, semestral update by 31 July (assumption), Piano Operativo 2028 by 31 December', () => {
    expect(
      deliverableDeadlines(2027).map((d) => [d.kind, d.year, d.label, d.dueDate, d.dueAt, d.optional]),
    ).toEqual([
      ['report_annuale', 2026, 'Report annuale 2026', '2027-04-30', '2027-04-30T23:59:59+02:00', false],
      [
        'aggiornamento_semestrale',
        2027,
        'Aggiornamento semestrale 2027',
        '2027-07-31',
        '2027-07-31T23:59:59+02:00',
        true,
      ],
      ['piano_operativo', 2028, 'Piano Operativo 2028', '2027-12-31', '2027-12-31T23:59:59+01:00', false],
    ]);
  });

  it('accepts other rules, e.g. the 2015 agreement (Report by January, PO for the current year by March)', () => {
    const rules2015 = [
      { kind: 'piano_operativo', dueMonth: 3, periodOffset: 0 },
      { kind: 'report_annuale', dueMonth: 1, periodOffset: -1 },
    ].map((r) => ({
      ...r,
      kind: r.kind as 'piano_operativo' | 'report_annuale',
      optional: false,
      approverKind: 'assemblea_sindaci' as const,
      reviewerKind: 'comitato_ristretto' as const,
      source: '001:L773-787',
    }));
    expect(deliverableDeadlines(2016, rules2015).map((d) => `${d.label} ${d.dueDate}`)).toEqual([
      'Report annuale 2015 2016-01-31',
      'Piano Operativo 2016 2016-03-31',
    ]);
  });

  it('rejects a non-integer year', () => {
    expect(() => deliverableDeadlines(2027.5)).toThrow(/Anno non valido/);
  });
});

describe('approvingSession', () => {
  const [report] = deliverableDeadlines(2027);

  it('is the last Assemblea session of the due year on or before the due date', () => {
    const meetings = [
      ads('2026-12-16T18:00:00+01:00'),
      ads('2027-02-18T18:00:00+01:00'),
      ads('2027-04-30T18:00:00+02:00'),
      ads('2027-05-03T18:00:00+02:00'),
      cr('2027-04-27T18:00:00+02:00', '2027-04-20T09:00:00+02:00'),
    ];
    expect(approvingSession(report!, meetings)?.start).toBe('2027-04-30T18:00:00+02:00');
    expect(approvingSession(report!, meetings.slice(0, 2))?.start).toBe('2027-02-18T18:00:00+01:00');
    expect(approvingSession(report!, meetings.slice(0, 1))).toBeUndefined();
  });
});

describe('stageDeadlines', () => {
  const [report] = deliverableDeadlines(2027);

  it('ties review to the last Comitato before the approving session and the draft to its convocation', () => {
    const meetings = [
      cr('2027-03-09T18:00:00+01:00', '2027-03-03T09:00:00+01:00'),
      cr('2027-04-13T18:00:00+02:00', '2027-04-07T09:00:00+02:00'),
      ads('2027-04-15T18:00:00+02:00'),
      cr('2027-04-20T18:00:00+02:00', '2027-04-14T09:00:00+02:00'),
    ];
    expect(stageDeadlines(report!, meetings)).toEqual([
      { stage: 'draft', by: 'udp', dueDate: '2027-04-07' },
      {
        stage: 'review',
        by: 'comitato_ristretto',
        dueDate: '2027-04-13',
        meeting: { bodyId: 'cr', start: '2027-04-13T18:00:00+02:00' },
      },
      {
        stage: 'approval',
        by: 'assemblea_sindaci',
        dueDate: '2027-04-15',
        meeting: { bodyId: 'ads', start: '2027-04-15T18:00:00+02:00' },
      },
    ]);
  });

  it('does not use a Comitato meeting on the day of the session, nor one too long before', () => {
    const meetings = [
      cr('2027-01-12T18:00:00+01:00', '2027-01-05T09:00:00+01:00'),
      cr('2027-04-15T10:00:00+02:00', '2027-04-09T09:00:00+02:00'),
      ads('2027-04-15T18:00:00+02:00'),
    ];
    expect(stageDeadlines(report!, meetings).map((s) => [s.stage, s.dueDate, s.meeting?.bodyId])).toEqual([
      ['draft', '2027-03-25', undefined],
      ['review', '2027-04-01', undefined],
      ['approval', '2027-04-15', 'ads'],
    ]);
  });

  it('falls back to configurable offsets from the due date when no meeting is known', () => {
    expect(stageDeadlines(report!, []).map((s) => `${s.stage} ${s.dueDate}`)).toEqual([
      'draft 2027-04-09',
      'review 2027-04-16',
      'approval 2027-04-30',
    ]);
    const offsets = {
      approvalDaysBeforeDue: 10,
      reviewDaysBeforeApproval: 20,
      draftDaysBeforeReview: 30,
      reviewWindowDays: 60,
    };
    expect(stageDeadlines(report!, [], offsets).map((s) => `${s.stage} ${s.dueDate}`)).toEqual([
      'draft 2027-03-01',
      'review 2027-03-31',
      'approval 2027-04-20',
    ]);
  });
});
