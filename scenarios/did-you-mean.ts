/**
 * "did you mean" for a name offersim does not know (a scenario field, an allocator, a trace
 * format, a metric, a flag, a command): the one known name within a small edit distance of it.
 * A leaf: imports nothing.
 */

/**
 * The optimal string alignment distance of `a` and `b` (Damerau-Levenshtein restricted to
 * adjacent transpositions that are not edited again): insertions, deletions, substitutions and
 * swaps of two neighbours each cost 1.
 * @example editDistance('sede', 'seed') // 1 (a swap)
 * @example editDistance('drff', 'drf') // 1 (a deletion)
 */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  // Three rows of the table: two back (for swaps), one back, this one.
  let back2 = new Array<number>(n + 1).fill(0);
  let back1 = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const row = new Array<number>(n + 1);
    row[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(back1[j]! + 1, row[j - 1]! + 1, back1[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, back2[j - 2]! + 1);
      row[j] = d;
    }
    back2 = back1;
    back1 = row;
  }
  return back1[n]!;
}

/** The longest name compared: a longer one (a pasted paragraph) gets no suggestion, at no cost. */
const LONGEST = 64;

/**
 * The known name closest to `word` (letter case ignored), when it is close: at most 2 edits and
 * at most half of `word`'s letters, and no other known name as close. Undefined otherwise, and
 * for `word` itself.
 * @example closest('sede', ['seed', 'out']) // 'seed'
 * @example closest('xyz', ['seed', 'out']) // undefined
 */
export function closest(word: string, known: readonly string[]): string | undefined {
  if (word.length > LONGEST || known.includes(word)) return undefined;
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  let tie = false;
  for (const k of new Set(known)) {
    if (Math.abs(k.length - word.length) > 2) continue;
    const d = editDistance(w, k.toLowerCase());
    if (d < bestD) {
      best = k;
      bestD = d;
      tie = false;
    } else if (d === bestD) tie = true;
  }
  return best !== undefined && !tie && bestD <= 2 && bestD <= word.length / 2 ? best : undefined;
}

/**
 * The end of a message about an unknown `word`: `; did you mean "X"?` when one known name is
 * close ({@link closest}), else ''.
 */
export function didYouMean(word: string, known: readonly string[]): string {
  const k = closest(word, known);
  return k === undefined ? '' : `; did you mean "${k}"?`;
}
