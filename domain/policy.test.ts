import { describe, expect, it } from 'vitest';
import { Action, NOBODY, can, type Principal, type Target } from './policy';

const CREMASCO = 'ambito-cremasco';
const CREMONESE = 'ambito-cremonese';
const cremasco: Target = { kind: 'ambito', ambitoId: CREMASCO };
const cremonese: Target = { kind: 'ambito', ambitoId: CREMONESE };
/** The Cabina di Regia of the Cremasco, which also serves the Cremonese. */
const cabina: Target = { kind: 'body', bodyId: 'cabina', ambitoIds: [CREMASCO, CREMONESE] };
const comitato: Target = { kind: 'body', bodyId: 'comitato', ambitoIds: [CREMASCO] };
const comitatoMeeting: Target = { ...comitato, meetingId: 'seduta-1' };
const foreignComitato: Target = { kind: 'body', bodyId: 'comitato-cremonese', ambitoIds: [CREMONESE] };

const person = (roles: Partial<Principal>): Principal => ({ ...NOBODY, personId: 'p', ...roles });
const udp = person({ udpOf: [CREMASCO] });
const oversight = person({ oversightOf: [CREMASCO] });
const segreteria = person({ segreteriaOf: ['comitato'] });
const ats = person({ convenerOf: ['cabina'] });
const member = person({ memberOf: ['comitato'] });
const delegate = person({ invitedTo: ['seduta-1'] });

/** Every action, and who may take it on `target`: the whole table, so a change to GRANTS shows here. */
function allowed(principal: Principal, target: Target): string[] {
  return Action.options.filter((action) => can(principal, action, target));
}

describe('the permission policy', () => {
  it('gives the Ufficio di Piano everything in its ambito and nothing in another', () => {
    expect(allowed(udp, cremasco)).toEqual(Action.options);
    expect(allowed(udp, comitatoMeeting)).toEqual(Action.options);
    expect(allowed(udp, cremonese)).toEqual([]);
    expect(allowed(udp, foreignComitato)).toEqual([]);
  });

  it('lets oversight read everything of its ambito and change nothing', () => {
    expect(allowed(oversight, cremasco)).toEqual([
      'ambito.read',
      'body.read',
      'meeting.read',
      'minutes.read.draft',
    ]);
    // Ambito roles reach the ambito's bodies: an ambito-level action on one of them passes too.
    expect(allowed(oversight, comitatoMeeting)).toEqual([
      'ambito.read',
      'body.read',
      'meeting.read',
      'minutes.read.draft',
    ]);
    expect(allowed(oversight, foreignComitato)).toEqual([]);
  });

  it('lets the segreteria prepare the meetings of its body, not move or cancel them', () => {
    expect(allowed(segreteria, comitatoMeeting)).toEqual([
      'body.read',
      'meeting.read',
      'meeting.prepare',
      'minutes.read.draft',
    ]);
    expect(allowed(segreteria, cabina)).toEqual([]);
    expect(allowed(segreteria, cremasco)).toEqual([]);
  });

  it('lets the convener (ATS) do what the segreteria does, plus create, move and cancel, on the body it convenes in every ambito', () => {
    expect(allowed(ats, cabina)).toEqual([
      'body.read',
      'body.meeting.create',
      'meeting.read',
      'meeting.prepare',
      'meeting.reschedule',
      'meeting.cancel',
      'minutes.read.draft',
    ]);
    expect(allowed(ats, comitato)).toEqual([]);
    expect(allowed(ats, cremasco)).toEqual([]);
  });

  it('lets a member read their bodies and meetings, not draft verbali, and nothing else', () => {
    expect(allowed(member, comitatoMeeting)).toEqual(['body.read', 'meeting.read']);
    expect(allowed(member, cabina)).toEqual([]);
    expect(allowed(member, cremasco)).toEqual([]);
  });

  it('lets a one-meeting delegate read that meeting only', () => {
    expect(allowed(delegate, comitatoMeeting)).toEqual(['meeting.read']);
    expect(allowed(delegate, { ...comitato, meetingId: 'seduta-2' })).toEqual([]);
    expect(allowed(delegate, comitato)).toEqual([]);
  });

  it('lets nobody without a role do anything', () => {
    for (const target of [cremasco, cabina, comitatoMeeting]) expect(allowed(NOBODY, target)).toEqual([]);
  });
});
