/**
 * Folds a run's event log, read back from its events.jsonl text, into the run's metrics, so that
 * summary.json and the CSV files can be recomputed from the log alone. Parses text and does no
 * I/O; imports only the event log types and the metric fold.
 */
import type { LogRecord } from '../sim/model/log.js';
import { MetricsFold, type MetricsFoldOptions } from './metrics-fold.js';
import type { MetricsResult } from './metrics.js';

/** A line of events.jsonl that is not a log record. */
export class EventLineError extends Error {
  /** the line's number, from 1 */
  readonly line: number;
  constructor(message: string, line: number) {
    super(`events.jsonl:${line}: ${message}`);
    this.name = 'EventLineError';
    this.line = line;
  }
}

/**
 * One line of events.jsonl as a log record: a JSON object with a string `kind` and a numeric `t`.
 * The record's other fields are the fold's to check (it throws on a broken log).
 * @param lineNo the line's number from 1, for the message
 * @example parseEventLine('{"kind":"run_ended","t":5,"reason":"completed"}', 1) // { kind: 'run_ended', t: 5, reason: 'completed' }
 */
export function parseEventLine(line: string, lineNo: number): LogRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new EventLineError(`not JSON: ${(err as Error).message}`, lineNo);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new EventLineError('not a JSON object', lineNo);
  const { kind, t } = value as { kind?: unknown; t?: unknown };
  if (typeof kind !== 'string' || typeof t !== 'number') throw new EventLineError('a record needs a string "kind" and a number "t"', lineNo);
  return value as LogRecord;
}

/**
 * Folds the lines of events.jsonl, in order, into metrics, exactly as the run's own fold did when
 * given the same options (the run's `output.sampleInterval` in us). Empty lines (the final newline)
 * are skipped.
 * @example foldEventLines(text.split('\n'), { sampleInterval: 1_000_000 }).summary.jobs
 */
export function foldEventLines(lines: Iterable<string>, options: MetricsFoldOptions = {}): MetricsResult {
  const fold = new MetricsFold(options);
  let n = 0;
  for (const line of lines) {
    n++;
    if (line === '') continue;
    fold.record(parseEventLine(line, n));
  }
  return fold.finish();
}
