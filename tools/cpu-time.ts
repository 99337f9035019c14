/**
 * CPU seconds (user + system) used by a process and all its descendants, those that have exited included,
 * read from /proc (Linux; 0 elsewhere).
 * Benchmarks print it next to wall time: on a machine shared with other work, wall time measures the
 * neighbours as much as the code, CPU time much less.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

let clockTicks: number | undefined;

export function cpuSecondsOfTree(root: number = process.pid): number {
  if (!existsSync('/proc/self/stat')) return 0;
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  const stats = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        // The command name may hold spaces: fields are counted after its closing parenthesis.
        const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
        // utime + stime, and cutime + cstime: the CPU of children that have exited and been waited for
        // (Postgres ends idle backends): without it the sum drops when one exits.
        const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
        return [{ pid: Number(pid), ppid: Number(fields[1]), ticks }];
      } catch {
        return []; // exited meanwhile
      }
    });
  const inTree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const s of stats) {
      if (!inTree.has(s.pid) && inTree.has(s.ppid)) {
        inTree.add(s.pid);
        grew = true;
      }
    }
  }
  return stats.filter((s) => inTree.has(s.pid)).reduce((sum, s) => sum + s.ticks, 0) / clockTicks;
}
