/**
 * Cluster definitions from traces: the canonical agent record (one agent a line of a JSON Lines
 * file) and the push parser a cluster format implements. Amounts in scenario units (cpus in cores,
 * mem and disk in MB, gpus in devices). Pure: no I/O.
 */
import { z } from 'zod';
import { MAX_AMOUNT } from './canonical.js';
import type { ImportCounts, RowProblem } from './importer.js';

const amount = z
  .number()
  .finite()
  .nonnegative()
  .max(MAX_AMOUNT, { message: `must be at most ${MAX_AMOUNT}` });

/** One agent of a cluster definition. */
export const CanonicalAgentSchema = z.strictObject({
  /** unique within the cluster */
  name: z.string().min(1).describe('unique within the cluster'),
  /** rack (or failure domain); default '' */
  rack: z.string().optional().describe('rack or failure domain; default none'),
  cpus: amount.describe('cores'),
  mem: amount.describe('MB'),
  disk: amount.optional().describe('MB; default 0'),
  gpus: amount.optional().describe('devices; default 0'),
  /** trace fields kept for reference (e.g. the GPU model) */
  attrs: z.record(z.string(), z.string()).optional().describe('trace fields kept for reference (e.g. the GPU model)'),
});

/** One agent of a cluster definition. */
export type CanonicalAgent = z.infer<typeof CanonicalAgentSchema>;

/** Where a cluster importer sends its output. */
export interface ClusterSink {
  /** an agent, in the order the cluster will register them */
  agent(a: CanonicalAgent): void;
  problem(p: RowProblem): void;
}

/** A push parser for one cluster-definition format. */
export interface ClusterImporter {
  readonly format: string;
  /** One input line (without its line ending), 1-based. */
  line(text: string, lineNo: number, sink: ClusterSink): void;
  /** A line longer than the I/O layer reads: a problem row ('line-too-long'). */
  tooLong(lineNo: number, bytes: number, sink: ClusterSink): void;
  /** The input ended: emit what is buffered (a format whose rows are events emits its agents here). */
  end(sink: ClusterSink): void;
  /** The accounting (jobs and tasks count agents and 0). */
  counts(): ImportCounts;
}
