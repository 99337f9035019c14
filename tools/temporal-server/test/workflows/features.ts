// Continue-as-new, markers, memo and search attributes, workflow timeouts, workflow task failure.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import {
  continueAsNew,
  patched,
  proxyLocalActivities,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';

export const customKeyword = defineSearchAttributeKey('CustomKeywordField', SearchAttributeType.KEYWORD);
export const customInt = defineSearchAttributeKey('CustomIntField', SearchAttributeType.INT);

const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '10 seconds' });

/** Continues as new until `remaining` reaches 0, carrying the values seen by each run. */
export async function countdown(remaining: number, seen: number[] = []): Promise<number[]> {
  if (remaining === 0) return seen;
  return continueAsNew<typeof countdown>(remaining - 1, [...seen, remaining]);
}

/** Each run sleeps 10 virtual hours and continues as new, forever: only an execution timeout ends it. */
export async function continueEvery10Hours(run: number): Promise<number> {
  await sleep('10 hours');
  return continueAsNew<typeof continueEvery10Hours>(run + 1);
}

/** A patch marker and a local-activity marker. */
export async function withMarkers(): Promise<string> {
  const version = patched('conformance-patch') ? 'patched' : 'original';
  return `${version}:${await local.echo('local')}`;
}

/** Upserts memo and a search attribute, then reports the memo the workflow itself sees. */
export async function upsertProperties(): Promise<Record<string, unknown> | undefined> {
  upsertSearchAttributes([{ key: customInt, value: 42 }]);
  upsertMemo({ stage: 'two' });
  await sleep('1 second');
  return workflowInfo().memo;
}

/**
 * Throws a plain Error (a workflow task failure, not a workflow failure) until the test "deploys the fix"
 * by flipping the flag the local activity reads; the server must keep retrying the workflow task.
 */
export async function failsUntilFixed(): Promise<string> {
  if (!(await local.isFixed())) throw new Error('bug: not fixed yet');
  return 'fixed';
}
