/**
 * What validation says of a scenario text that must be rejected: its problems, formatted as the
 * CLI prints them. Test-only (excluded from the build); imports the loader and its errors.
 */
import { InputError, formatProblem } from '../errors.js';
import { parseScenarioText } from '../loader.js';

/** The problems of `text` read as the file bad.yaml; throws if it validates. */
export function problems(text: string): string[] {
  try {
    parseScenarioText(text, 'bad.yaml');
  } catch (err) {
    if (err instanceof InputError) return err.problems.map(formatProblem);
    throw err;
  }
  throw new Error('expected the scenario to be rejected');
}
