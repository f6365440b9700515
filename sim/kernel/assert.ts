/**
 * The exhaustive switch's default. A shared leaf: imports nothing, and every folder may import it.
 */

/**
 * Throws for a value no case of an exhaustive switch took: the compiler proves it unreachable
 * (`x: never`), so reaching it at run time is a bug. `what` names the kind of value in the message.
 */
export function assertNever(x: never, what = 'value'): never {
  let shown: string;
  try {
    shown = JSON.stringify(x) ?? String(x);
  } catch {
    shown = String(x);
  }
  throw new Error(`unexpected ${what}: ${shown}`);
}
