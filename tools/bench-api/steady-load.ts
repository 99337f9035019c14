/**
 * Requests at a steady rate, one every 1000/rate ms whatever the answers (open loop), over keep-alive
 * connections opened as needed, as many independent clients would send them. Each latency is counted from
 * the instant its request was due, not from when it left: a driver or service falling behind shows as
 * latency instead of silently sending less (coordinated omission).
 *
 * Why not autocannon's `overallRate`: each of its connections sends back to back until it has made its share
 * of the second, then waits for the next second (lib/httpClient.js, `reqsMadeThisSecond`). At "100
 * requests/s" over 10 connections the service got 10 concurrent clients for the first part of every second
 * and nothing for the rest, and p95 measured the queue of that burst, about ten requests' service time.
 */
import http from 'node:http';

export interface SteadyLoad {
  url: string;
  headers: Record<string, string>;
  rate: number;
  seconds: number;
}

export interface LoadResult {
  /** Answers received per second of the run. */
  rate: number;
  answered: number;
  /** Latencies (ms), sorted. */
  latencies: number[];
  /** Answers other than 2xx, failed connections and timeouts. */
  errors: number;
}

const TIMEOUT_MS = 10_000;

function send(url: string, headers: Record<string, string>, agent: http.Agent): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(url, { headers, agent, timeout: TIMEOUT_MS }, (response) => {
      response.resume();
      response.on('end', () => resolve((response.statusCode ?? 0) < 300));
      response.on('error', () => resolve(false));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

export async function steadyLoad({ url, headers, rate, seconds }: SteadyLoad): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true });
  const interval = 1000 / rate;
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const answers: Promise<void>[] = [];
  try {
    for (let i = 0; i < total; i++) {
      const due = started + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      answers.push(
        send(url, headers, agent).then((ok) => {
          latencies.push(performance.now() - due);
          if (!ok) errors++;
        }),
      );
    }
    await Promise.all(answers);
  } finally {
    agent.destroy();
  }
  const elapsed = (performance.now() - started) / 1000;
  return {
    rate: total / Math.max(elapsed, seconds),
    answered: total,
    latencies: latencies.sort((a, b) => a - b),
    errors,
  };
}
