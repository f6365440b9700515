/**
 * The fuzz suite's own parts (test-support/fuzz-*.ts): the oracle finds what it must and nothing
 * else, the survey groups cases as documented, and the mutations do what their titles say
 * without touching the process (a key named __proto__ stays a key).
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { parse as parseYaml, parseDocument } from 'yaml';
import type { Outcome } from './test-support/fuzz-exec.js';
import { argvArb } from './test-support/fuzz-flags.js';
import { firstLine, judgeOutcome, judgeOutputs, normalise, Survey, type CaseRecord } from './test-support/fuzz-oracle.js';
import { applyTextOp, applyTreeOp, clone, renderCase, scenarioCaseArb, type Data, type Seed } from './test-support/fuzz-scenario.js';
import { judgeCanonical, renderTrace, type TraceBase } from './test-support/fuzz-trace.js';

const outcome = (o: Partial<Outcome>): Outcome => ({ code: 0, out: '', err: '', end: 'exit', ms: 1, polluted: [], ...o });

/** What an exit 3 with a stack looks like on stderr (main.ts's last resort). */
const STACK =
  "offersim: internal error (a bug): TypeError: Cannot read properties of undefined (reading 'values')\n    at file:///x/zod/v4/core/schemas.js:1026:23\n    at Internals.get (file:///x/zod/v4/core/util.js:820:31)\n";

describe('judgeOutcome', () => {
  test('a clean refusal and a clean success break nothing', () => {
    expect(judgeOutcome(outcome({ code: 2, err: 'case.yaml:1:7: seed: Invalid input: expected number, received string\n' }))).toEqual([]);
    expect(judgeOutcome(outcome({ code: 0, out: 'case.yaml: ok\n' }))).toEqual([]);
  });
  test('an exit 3 with a stack is a stack trace and a wrong code', () => {
    expect(judgeOutcome(outcome({ code: 3, err: STACK })).map((v) => v.kind)).toEqual(['stack-trace', 'exit-code']);
  });
  test('"internal error" without a stack is still one (an invariant message)', () => {
    expect(judgeOutcome(outcome({ code: 3, err: 'offersim: internal error (a bug): invariant broken at t=0 us: x\n' })).map((v) => v.kind)).toEqual([
      'stack-trace',
      'exit-code',
    ]);
  });
  test('exit 1 only where allowed; a failure says why', () => {
    expect(judgeOutcome(outcome({ code: 1, err: 'x\n' })).map((v) => v.kind)).toEqual(['exit-code']);
    expect(judgeOutcome(outcome({ code: 1, err: 'x\n' }), [0, 1, 2])).toEqual([]);
    expect(judgeOutcome(outcome({ code: 2, err: '' })).map((v) => v.kind)).toEqual(['no-message']);
  });
  test('a hang, a heap exhaustion, a crash and a changed prototype', () => {
    expect(judgeOutcome(outcome({ code: undefined, end: 'timeout', ms: 10_000 })).map((v) => v.kind)).toEqual(['hang']);
    expect(judgeOutcome(outcome({ code: undefined, end: 'oom' })).map((v) => v.kind)).toEqual(['oom']);
    expect(judgeOutcome(outcome({ code: 134, end: 'crash', err: 'x' })).map((v) => v.kind)).toEqual(['crash']);
    expect(judgeOutcome(outcome({ code: 2, err: 'x', polluted: ['Object.prototype.x'] })).map((v) => v.kind)).toEqual(['prototype-pollution']);
  });
});

describe('judgeOutputs', () => {
  test('a finished-looking output after a failure, and leftovers of an interrupted write', () => {
    const before = ['case.yaml'];
    expect(judgeOutputs(before, [...before, 'out', 'out/manifest.json'], outcome({ code: 2, err: 'x' })).map((v) => v.kind)).toEqual(['output-after-failure']);
    expect(judgeOutputs(before, [...before, 'out.jsonl', 'out.jsonl.manifest.json'], outcome({ code: 3, err: 'x' })).map((v) => v.kind)).toEqual([
      'output-after-failure',
    ]);
    expect(judgeOutputs(before, [...before, 'out.partial-123', 'out.partial-123/manifest.json'], outcome({ code: 2, err: 'x' })).map((v) => v.kind)).toEqual([
      'leftover-partial',
    ]);
  });
  test('outputs after a success, files that existed before, and a killed case are not judged', () => {
    expect(judgeOutputs(['a'], ['a', 'out', 'out/manifest.json'], outcome({ code: 0 }))).toEqual([]);
    expect(judgeOutputs(['run', 'run/manifest.json'], ['run', 'run/manifest.json'], outcome({ code: 2, err: 'x' }))).toEqual([]);
    expect(judgeOutputs([], ['out.partial-9'], outcome({ code: undefined, end: 'timeout' }))).toEqual([]);
  });
});

describe('judgeCanonical', () => {
  test('a usable line passes; absurd times, amounts and task counts do not', () => {
    const job = (t: object, submit = 0): string => JSON.stringify({ id: 'j', submit, tasks: [{ cpus: 1, duration: 10, ...t }] });
    expect(judgeCanonical(`${job({})}\n`, 'jobs')).toEqual([]);
    // 2^45 us is 35,184,372.088832 s: a submit at 4e7 s is past the event list.
    expect(judgeCanonical(job({}, 4e7), 'jobs').map((v) => v.kind)).toEqual(['absurd-output']);
    expect(judgeCanonical(job({ duration: 2199023257.552 }), 'jobs').map((v) => v.kind)).toEqual(['absurd-output']);
    expect(judgeCanonical(job({ count: 9.3e298 }), 'jobs').map((v) => v.kind)).toEqual(['absurd-output']);
    expect(judgeCanonical('{"name":"n","cpus":1e26,"mem":1}\n', 'cluster').map((v) => v.kind)).toEqual(['absurd-output']);
    expect(judgeCanonical('{"id":"j","submit":0,"tasks":[{"duration":null}]}\n', 'jobs').map((v) => v.kind)).toEqual(['absurd-output']);
  });
});

describe('Survey', () => {
  const rec = (index: number, text: string): CaseRecord => ({
    family: 'scenario',
    index,
    title: `case ${index}`,
    argv: ['validate', 'case.yaml'],
    files: { 'case.yaml': text },
  });
  test('cases failing the same way form one class, which keeps the smallest', () => {
    const s = new Survey(['/tmp/r']);
    const err = (p: string): string =>
      `offersim: internal error (a bug): ReferenceError: Unresolved alias (the anchor must be set before the alias): ${p}\n    at Alias.toJSON (/x/Alias.js:79:19)\n`;
    s.add(rec(0, 'seed: *nope\nname: long enough'), outcome({ code: 3, err: err('nope') }), judgeOutcome(outcome({ code: 3, err: err('nope') })));
    s.add(rec(1, 'seed: *a'), outcome({ code: 3, err: err('a') }), judgeOutcome(outcome({ code: 3, err: err('a') })));
    s.add(rec(2, 'seed: 1'), outcome({ code: 2, err: 'x' }), []);
    const classes = s.classes();
    // The alias name is not blanked (it is not quoted): two classes, one case each.
    expect(classes.map((c) => [c.kind, c.count])).toEqual([
      ['stack-trace', 1],
      ['stack-trace', 1],
    ]);
    expect(s.cases).toBe(3);
    const t = new Survey();
    const msg = (n: number): string => `offersim: internal error (a bug): invariant broken at t=${n} us in event allocate(0)@allocate: agent "m-${n}"\n`;
    t.add(rec(0, 'a much longer input than the next'), outcome({ code: 3, err: msg(5) }), judgeOutcome(outcome({ code: 3, err: msg(5) })));
    t.add(rec(1, 'short'), outcome({ code: 3, err: msg(7000) }), judgeOutcome(outcome({ code: 3, err: msg(7000) })));
    expect(t.classes().map((c) => [c.count, c.example.index])).toEqual([[2, 1]]);
    expect(t.text()).toContain('(2 cases)');
  });
  test('firstLine picks the error line of a stack; normalise blanks what varies', () => {
    expect(firstLine(STACK)).toBe("offersim: internal error (a bug): TypeError: Cannot read properties of undefined (reading 'values')");
    expect(normalise('/tmp/r/cases/12/work/trace.txt:6:1: expected 6 fields, found "9"', ['/tmp/r'])).toBe('<path>:N:N: expected N fields, found "…"');
  });
});

describe('mutations', () => {
  const seeds: Seed[] = [{ name: 'test/one', data: { name: 'one', seed: 3, frameworks: [{ name: 'f', workload: { rate: 0.5 } }] } }];
  test('a key named __proto__ is a key of the document, not a prototype', () => {
    const d = clone(seeds[0]!.data);
    const r = applyTreeOp(d, { op: 'add-key', at: 0, key: '__proto__', value: { x: 1 } });
    expect(Object.keys(r.data as object)).toContain('__proto__');
    expect(Object.getPrototypeOf(r.data)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
    expect(renderCase(seeds, { seed: 0, tree: [{ op: 'add-key', at: 0, key: '__proto__', value: 1 }], text: null }).bytes.toString()).toContain('__proto__: 1');
  });
  test('a typed mutation changes a leaf of its type, whichever node it picks', () => {
    fc.assert(
      fc.property(fc.nat(), (at) => {
        const r = applyTreeOp(clone(seeds[0]!.data), { op: 'number', at, value: 1e308 });
        const d = r.data as { seed: number; frameworks: { workload: { rate: number } }[] };
        return [d.seed, d.frameworks[0]!.workload.rate].filter((x) => x === 1e308).length === 1;
      }),
    );
  });
  test('text mutations say what they wrote', () => {
    const data: Data = { name: 'one', seed: 3 };
    expect(applyTextOp(data, { op: 'undefined-alias', at: 1 }).bytes.toString()).toBe('name: one\nseed: *nope\n');
    const bomb = applyTextOp(data, { op: 'alias-bomb', at: 0, depth: 3 }).bytes.toString();
    // 10 + 10 x 10... : four levels of ten, each level's items aliases of the one before.
    expect(() => parseDocument(bomb).toJS({ maxAliasCount: 100 })).toThrow(/alias/i);
    expect(applyTextOp(data, { op: 'truncate', at: 7 }).bytes.toString()).toBe('name: o');
    expect(parseYaml(applyTextOp(data, { op: 'json' }).bytes.toString())).toEqual(data);
  });
  test('the same case renders to the same bytes (the sample is reproducible)', () => {
    const cases = fc.sample(scenarioCaseArb(1), { seed: 7, numRuns: 30 });
    for (const c of cases) expect(renderCase(seeds, c).bytes.equals(renderCase(seeds, c).bytes)).toBe(true);
  });
  test('a trace row mutation changes that row only', () => {
    const base: TraceBase = {
      name: 'b',
      format: 'swim',
      kind: 'jobs',
      split: 'tab',
      lines: ['job0\t10\t10\t1\t0\t0', 'job1\t20\t10\t1\t0\t0'],
      isData: () => true,
      options: {},
    };
    const r = renderTrace([base], { base: 0, rows: [{ op: 'field', row: 1, field: 1, value: '1e29' }], file: null, strict: false });
    expect(r.bytes.toString()).toBe('job0\t10\t10\t1\t0\t0\njob1\t1e29\t10\t1\t0\t0\n');
    expect(r.title).toBe('b (swim): line 2: field 1 := "1e29"');
  });
  test('command lines name no path outside the case directory but /dev and /proc', () => {
    for (const argv of fc.sample(argvArb, { seed: 1, numRuns: 500 })) {
      argv.forEach((a, i) => {
        const [flag, v] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [argv[i - 1], a];
        // A shard of "/" is a malformed I/N, not a path.
        if (v.startsWith('/') && !(flag === '--shard' && v === '/')) expect(v).toMatch(/^\/(dev|proc)\//);
      });
    }
  });
});
