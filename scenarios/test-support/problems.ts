/**
 * What validation says of a scenario text that must be rejected: its problems, formatted as the
 * CLI prints them. Test-only (excluded from the build); imports the loader and its errors.
 */
import { InputError, formatProblem } from '../errors.js';
import { parseScenarioText } from '../loader.js';

/** The problems of `text` (with `overrides` applied) read as the file `file`; throws if it validates. */
export function problems(text: string, overrides: readonly string[] = [], file = 'bad.yaml'): string[] {
  try {
    parseScenarioText(text, file, overrides);
  } catch (err) {
    if (err instanceof InputError) return err.problems.map(formatProblem);
    throw err;
  }
  throw new Error('expected the scenario to be rejected');
}

/** {@link problems} without their `file:line:column: ` prefix: field paths and messages only. */
export function problemMessages(text: string, overrides: readonly string[] = []): string[] {
  return problems(text, overrides).map((p) => p.replace(/^bad\.yaml:\d+:\d+: /, ''));
}
