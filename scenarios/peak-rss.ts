/**
 * The peak resident set of this process. On Linux, VmHWM of /proc/self/status: the high-water mark
 * of this program's own memory. Not `process.resourceUsage().maxRSS`: Linux carries a process's
 * maxrss across exec, so a child started by a large process (a test runner of 900 MB) reports at
 * least its parent's resident set at the fork. Elsewhere, maxRSS is all there is. Composition
 * root: reads /proc.
 */
import { readFileSync } from 'node:fs';

/** Peak resident set of this process, bytes. */
export function peakRssBytes(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m !== null) return Number(m[1]) * 1024;
  } catch {
    // no /proc: not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}
