/**
 * Test support: feeds a whole text to an importer as the I/O layer does, line by line, and
 * collects what it emits.
 */
import type { CanonicalJob } from '../canonical.js';
import type { CanonicalAgent, ClusterImporter } from '../cluster.js';
import type { ImportCounts, RowProblem, TraceImporter } from '../importer.js';

/** Lines as a line reader gives them: split on \n, the last (empty after a final \n) dropped. */
export function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The jobs, problems and counts of `text` through a job importer. */
export function driveJobs(imp: TraceImporter, text: string): { jobs: CanonicalJob[]; problems: RowProblem[]; counts: ImportCounts } {
  const jobs: CanonicalJob[] = [];
  const problems: RowProblem[] = [];
  const sink = { job: (j: CanonicalJob) => jobs.push(j), problem: (p: RowProblem) => problems.push(p) };
  linesOf(text).forEach((l, i) => imp.line(l, i + 1, sink));
  imp.end(sink);
  return { jobs, problems, counts: imp.counts() };
}

/** The agents, problems and counts of `text` through a cluster importer. */
export function driveCluster(imp: ClusterImporter, text: string): { agents: CanonicalAgent[]; problems: RowProblem[]; counts: ImportCounts } {
  const agents: CanonicalAgent[] = [];
  const problems: RowProblem[] = [];
  const sink = { agent: (a: CanonicalAgent) => agents.push(a), problem: (p: RowProblem) => problems.push(p) };
  linesOf(text).forEach((l, i) => imp.line(l, i + 1, sink));
  imp.end(sink);
  return { agents, problems, counts: imp.counts() };
}
