/**
 * The fuzzer: `npm run fuzz -- --seconds 300 --seed 7`. Bounded in time, seeded (the same seed
 * gives the same inputs), not part of `npm test` (test/fuzz-smoke.test.ts runs it for 45 s).
 *
 * Rounds, until the time is up:
 * - files: a batch of hostile files (fuzz/generate.ts) ingested by the real CLI in a child
 *   process, one article per transaction, watched: an input on which nothing is reported for
 *   10 s is a hang; a signal or exit code 4 is a crash or a bug; the exit code must be 1 when
 *   something failed and 0 when nothing did; every good article stored exactly once.
 * - kill: the CLI ingesting a batch is killed with SIGKILL at a random moment; the database
 *   must pass SQLite's integrity check, and ingesting again must store every good article once.
 * - api: a server in a child process gets requests without and with a wrong token (401 before
 *   the body is read), hostile JSON, multipart uploads of the generated files, URLs of every
 *   local and private form (all refused), malformed chunked bodies; never a 5xx, never a
 *   request over 10 s, never an unhandled error in its log, and good uploads stored once.
 *
 * Problems are printed with the seed and the input (kept under the output folder), and the
 * exit code is 1 when there was any. `--json` prints the figures as JSON.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type Generated, generate, Rng } from './generate.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..');
const CLI = join(HERE, 'cli.ts');
const HANG_MS = 10_000;
const TOKEN = 'fuzz-token-0123456789';

interface Options {
  seconds: number;
  seed: number;
  out: string | null;
  json: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const opts: Options = { seconds: 120, seed: 1, out: null, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a}: expected a value`);
      return v;
    };
    if (a === '--seconds') opts.seconds = Number(value());
    else if (a === '--seed') opts.seed = Number(value());
    else if (a === '--out') opts.out = value();
    else if (a === '--json') opts.json = true;
    else throw new Error(`unknown option ${a}; expected --seconds N, --seed N, --out DIR, --json`);
  }
  if (!(opts.seconds > 0) || !Number.isInteger(opts.seed)) throw new Error('--seconds must be > 0 and --seed a whole number');
  return opts;
}

export interface Figures {
  seed: number;
  seconds: number;
  rounds: { files: number; kill: number; api: number };
  files: number;
  filesByKind: Record<string, number>;
  inputBytes: number;
  items: { stored: number; failed: number };
  failedByCode: Record<string, number>;
  goodArticles: number;
  kills: number;
  requests: number;
  requestsByStatus: Record<string, number>;
  slowestInputMs: number;
  slowestRequestMs: number;
  problems: string[];
}

function bump(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  hang: boolean;
  slowestGapMs: number;
}

/**
 * Runs the CLI; `watchdog`: kill it if it reports nothing for HANG_MS (a hang on one input);
 * `killAfterMs`: SIGKILL it then (a crash mid-ingest).
 */
function runCli(args: readonly string[], options: { watchdog?: boolean; killAfterMs?: number; env?: Record<string, string> } = {}): Promise<CliRun> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let hang = false;
    let last = performance.now();
    let started = false;
    let slowestGapMs = 0;
    const seen = (): void => {
      const now = performance.now();
      // the first gap is the process starting (loading modules), not an input
      if (started) slowestGapMs = Math.max(slowestGapMs, now - last);
      started = true;
      last = now;
    };
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      seen();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const timer = options.watchdog
      ? setInterval(() => {
          // before the first line the process is starting (modules, opening the stages): allow that three times the bound
          if (performance.now() - last > (started ? HANG_MS : 3 * HANG_MS)) {
            hang = true;
            child.kill('SIGKILL');
          }
        }, 250)
      : undefined;
    const killer = options.killAfterMs !== undefined ? setTimeout(() => child.kill('SIGKILL'), options.killAfterMs) : undefined;
    child.on('close', (code, signal) => {
      clearInterval(timer);
      clearTimeout(killer);
      done({ code, signal, out, err, hang, slowestGapMs });
    });
  });
}

/** How many stored articles hold each marker (text or title). */
function countMarkers(db: string, markers: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const stmt = conn.prepare("SELECT count(*) AS n FROM articles WHERE instr(text, ?) > 0 OR instr(coalesce(title, ''), ?) > 0");
    for (const m of markers) counts.set(m, (stmt.get(m, m) as { n: number }).n);
  } finally {
    conn.close();
  }
  return counts;
}

function integrity(db: string): string {
  const conn = new Database(db, { fileMustExist: true });
  try {
    return (conn.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check;
  } finally {
    conn.close();
  }
}

function writeBatch(dir: string, files: readonly Generated[]): void {
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f.name), f.bytes);
}

/** Parses the CLI's per-item lines: `new|unchanged|updated <id> <source>` and `failed <source>: <message>`. */
function parseItems(out: string): { stored: number; failed: { source: string; message: string }[] } {
  let stored = 0;
  const failed: { source: string; message: string }[] = [];
  for (const line of out.split('\n')) {
    const m = /^(new|unchanged|updated)\s+\S+\s+/.exec(line);
    if (m) stored++;
    const f = /^failed\s+(.*?): (.*)$/.exec(line);
    if (f) failed.push({ source: f[1]!, message: f[2]! });
  }
  return { stored, failed };
}

function codeOf(message: string): string {
  if (message.startsWith('unexpected error')) return 'INTERNAL';
  const m = /\b(URL_REFUSED|NOT_FOUND_PATH|EMPTY_INPUT|BINARY_INPUT|UNKNOWN_ENCODING|TOO_LARGE|BROKEN_HTML|NO_CONTENT|MALFORMED_FEED|INVALID_JSONL|UNSUPPORTED_TYPE)\b/.exec(message);
  if (m) return m[1]!;
  if (/has no readable text/.test(message)) return 'NO_CONTENT';
  if (/nests elements more than/.test(message)) return 'BROKEN_HTML';
  if (/binary data/.test(message)) return 'BINARY_INPUT';
  if (/expected a JSON object|field "|non-empty "text"/.test(message)) return 'INVALID_JSONL';
  if (/malformed XML|not a feed|RSS or Atom/.test(message)) return 'MALFORMED_FEED';
  if (/empty|white space|no JSON Lines records|no article text|no files/.test(message)) return 'EMPTY_INPUT';
  if (/over the .*limit/.test(message)) return 'TOO_LARGE';
  if (/encoding/.test(message)) return 'UNKNOWN_ENCODING';
  if (/no text|no items|no article/.test(message)) return 'NO_CONTENT';
  return 'other';
}

async function filesRound(rng: Rng, seed: number, counter: { n: number }, work: string, round: number, fig: Figures, keep: (name: string, files: readonly Generated[]) => void): Promise<void> {
  const files = Array.from({ length: rng.int(8, 24) }, () => generate(rng, seed, counter));
  const dir = join(work, `files-${round}`);
  writeBatch(dir, files);
  const db = join(work, `files-${round}.db`);
  const r = await runCli(['ingest', dir, '--db', db, '--batch-size', '1', '--workers', '0'], { watchdog: true });
  fig.files += files.length;
  for (const f of files) {
    bump(fig.filesByKind, f.kind);
    fig.inputBytes += f.bytes.length;
  }
  fig.slowestInputMs = Math.max(fig.slowestInputMs, r.slowestGapMs);
  const items = parseItems(r.out);
  fig.items.stored += items.stored;
  fig.items.failed += items.failed.length;
  for (const f of items.failed) bump(fig.failedByCode, codeOf(f.message));
  const where = `files round ${round} (seed ${seed})`;
  if (r.hang) {
    fig.problems.push(`${where}: no progress for ${HANG_MS / 1000} s after: ${r.out.trim().split('\n').pop() ?? '(nothing)'}`);
    keep(`hang-${round}`, files);
    return;
  }
  if (r.signal || r.code === 4 || r.code === null) {
    fig.problems.push(`${where}: the CLI ended with ${r.signal ?? `exit ${r.code}`}: ${r.err.slice(0, 500)}`);
    keep(`crash-${round}`, files);
    return;
  }
  const expected = items.failed.length > 0 ? 1 : 0;
  if (r.code !== expected) fig.problems.push(`${where}: exit ${r.code} with ${items.failed.length} failed input(s); expected ${expected}`);
  const bugs = items.failed.filter((f) => codeOf(f.message) === 'INTERNAL');
  if (bugs.length > 0) {
    fig.problems.push(
      `${where}: internal errors: ${bugs
        .map((b) => `${b.source}: ${b.message}`)
        .join('; ')
        .slice(0, 800)}`,
    );
    keep(`bug-${round}`, files);
  }
  await checkGood(db, files, where, fig, () => keep(`lost-${round}`, files));
}

async function checkGood(db: string, files: readonly Generated[], where: string, fig: Figures, onProblem: () => void): Promise<void> {
  const markers = files.flatMap((f) => f.good);
  fig.goodArticles += markers.length;
  if (markers.length === 0) return;
  const counts = countMarkers(db, markers);
  const wrong = markers.filter((m) => counts.get(m) !== 1);
  if (wrong.length > 0) {
    const owners = wrong.map((m) => `${m} x${counts.get(m)} in ${files.find((f) => f.good.includes(m))!.name}`);
    fig.problems.push(`${where}: good articles not stored exactly once: ${owners.slice(0, 10).join(', ')}`);
    onProblem();
  }
}

async function killRound(rng: Rng, seed: number, counter: { n: number }, work: string, round: number, fig: Figures, keep: (name: string, files: readonly Generated[]) => void): Promise<void> {
  const files = Array.from({ length: rng.int(20, 40) }, () => generate(rng, seed, counter));
  const dir = join(work, `kill-${round}`);
  writeBatch(dir, files);
  const db = join(work, `kill-${round}.db`);
  const where = `kill round ${round} (seed ${seed})`;
  await runCli(['ingest', dir, '--db', db, '--batch-size', String(rng.int(1, 8)), '--workers', '0'], { killAfterMs: rng.int(1500, 6000) });
  fig.kills++;
  try {
    const check = integrity(db);
    if (check !== 'ok') fig.problems.push(`${where}: integrity check after kill -9: ${check}`);
  } catch (e) {
    // killed before the database was created: nothing to check
    if (!/unable to open|does not exist|directory does not exist/i.test((e as Error).message)) fig.problems.push(`${where}: cannot open the database after kill -9: ${(e as Error).message}`);
  }
  const r = await runCli(['ingest', dir, '--db', db, '--batch-size', '1', '--workers', '0'], { watchdog: true });
  if (r.hang || r.signal || r.code === 4 || r.code === null) {
    fig.problems.push(`${where}: the ingest after the kill ended with ${r.hang ? 'a hang' : (r.signal ?? `exit ${r.code}`)}: ${r.err.slice(0, 300)}`);
    keep(`kill-${round}`, files);
    return;
  }
  const check = integrity(db);
  if (check !== 'ok') fig.problems.push(`${where}: integrity check after the second ingest: ${check}`);
  await checkGood(db, files, where, fig, () => keep(`kill-lost-${round}`, files));
}

/** Starts `parallax serve` on a free port; resolves with its URL. */
function startServer(db: string): Promise<{ url: string; child: ChildProcess; log: () => string }> {
  return new Promise((resolveStart, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--db', db, '--port', '0', '--host', '127.0.0.1', '--max-body', String(3 * 1024 * 1024)], {
      cwd: REPO,
      env: { ...process.env, PARALLAX_TOKEN: TOKEN, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    let out = '';
    child.stderr.on('data', (d: Buffer) => {
      log += d.toString();
      if (process.env['FUZZ_DEBUG']) process.stderr.write(`  server: ${d.toString().slice(0, 300)}`);
    });
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Parallax at (http:\/\/\S+?)\/?\n/.exec(out);
      if (m) resolveStart({ url: m[1]!, child, log: () => log });
    });
    child.on('close', (code) => reject(new Error(`the server ended (exit ${code}) before listening: ${log.slice(0, 500)}`)));
  });
}

async function timed(fig: Figures, where: string, run: () => Promise<number>): Promise<number | null> {
  const t0 = performance.now();
  if (process.env['FUZZ_DEBUG']) process.stderr.write(`  ${where.slice(0, 120)}\n`);
  let status: number;
  try {
    status = await Promise.race([run(), new Promise<number>((_, rej) => setTimeout(() => rej(new Error('timeout')), HANG_MS))]);
  } catch (e) {
    const msg = (e as Error).message;
    if (msg === 'timeout') fig.problems.push(`${where}: no answer within ${HANG_MS / 1000} s`);
    // a connection the server closed on a malformed request is an answer too
    return null;
  }
  const ms = performance.now() - t0;
  fig.slowestRequestMs = Math.max(fig.slowestRequestMs, ms);
  fig.requests++;
  bump(fig.requestsByStatus, String(status));
  if (status >= 500) fig.problems.push(`${where}: HTTP ${status}`);
  return status;
}

/** A raw request over a socket (malformed framing that fetch would not send); resolves with the status or 0. */
function rawRequest(port: number, payload: string): Promise<number> {
  return new Promise((done) => {
    let data = '';
    const sock = connect(port, '127.0.0.1', () => sock.write(payload));
    sock.on('data', (d) => (data += d.toString()));
    const finish = (): void => done(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0));
    sock.on('close', finish);
    sock.on('error', finish);
    setTimeout(() => sock.destroy(), 3000);
  });
}

const LOCAL_URLS = [
  'x:../../../../../../etc/passwd',
  'a:../../',
  'file:///etc/passwd',
  'file:/etc/hostname',
  'javascript:alert(1)',
  'data:text/plain,hello',
  'http://127.0.0.1/',
  'http://localhost/',
  'http://[::1]/',
  'http://[::127.0.0.1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:7f00:1]/',
  'http://0.0.0.0/',
  'http://0/',
  'http://2130706433/',
  'http://0x7f.1/',
  'http://017700000001/',
  'http://127.1/',
  'http://10.0.0.1/',
  'http://192.168.1.1/',
  'http://172.16.0.1/',
  'http://169.254.169.254/latest/meta-data/',
  'http://[fe80::1]/',
  'http://[fc00::1]/',
  'http://[64:ff9b::7f00:1]/',
  'http://[2002:7f00:1::]/',
  'http://metadata.google.internal/',
  'http://foo.localhost/',
  'http://printer.local/',
  'http://user:pass@127.0.0.1/',
  'http://100.64.0.1/',
  'http://[0:0:0:0:0:ffff:127.0.0.1]/',
  'http://127.0.0.1:22/',
  'gopher://127.0.0.1/',
];

async function apiRound(rng: Rng, seed: number, counter: { n: number }, work: string, round: number, fig: Figures): Promise<void> {
  const db = join(work, `api-${round}.db`);
  const where = `api round ${round} (seed ${seed})`;
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(db);
  } catch (e) {
    fig.problems.push(`${where}: ${(e as Error).message}`);
    return;
  }
  const port = Number(new URL(server.url).port);
  const api = `${server.url}/api/v1`;
  const auth = { authorization: `Bearer ${TOKEN}` };
  const goodFiles: Generated[] = [];
  try {
    // without a token, or with a wrong one: 401, without waiting for a big body
    for (const token of [null, 'wrong', TOKEN.slice(0, -1), `${TOKEN}x`, 'x'.repeat(5000)]) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
      const status = await timed(fig, `${where}: POST without the token`, async () => (await fetch(`${api}/ingest`, { method: 'POST', headers, body: 'x'.repeat(rng.int(0, 2_500_000)) })).status);
      if (status !== null && status !== 401) fig.problems.push(`${where}: a write with token ${JSON.stringify(token?.slice(0, 20))} got ${status}, not 401`);
    }
    // every local and private URL form refused, one request each and all at once
    const refusedCheck = async (urls: string[]): Promise<void> => {
      const res = await fetch(`${api}/ingest`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ urls }) });
      const body = (await res.json()) as { new?: number; failed?: { code: string; source: string }[] };
      if ((body.new ?? 0) > 0) fig.problems.push(`${where}: a local URL was stored: ${urls.join(' ')}`);
      for (const f of body.failed ?? []) if (f.code !== 'URL_REFUSED') fig.problems.push(`${where}: ${f.source} failed with ${f.code}, not URL_REFUSED`);
    };
    for (const url of LOCAL_URLS)
      await timed(
        fig,
        `${where}: URL ${url}`,
        async () => (await fetch(`${api}/ingest`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ urls: [url] }) })).status,
      );
    await refusedCheck(LOCAL_URLS.filter((u) => /^[a-z]+:/.test(u)));
    // hostile bodies
    const bodies = [
      '{',
      '[]',
      'null',
      '{"articles": 5}',
      '{"articles": [{"text": 5}]}',
      `{"articles": [${'{"text":"a"},'.repeat(2000)}{"text":"b"}]}`,
      '{"urls": []}',
      `{"articles": [{"html": ${JSON.stringify('<div>'.repeat(100_000))}}]}`,
      `{"articles": [{"text": ${JSON.stringify(' '.repeat(500_000) + 'x')}}]}`,
      `${'['.repeat(100_000)}`,
      `{"articles": [{"text": "lone \\ud800", "title": "\\udc00"}]}`,
      '\u0000\u0001',
      'x'.repeat(3_200_000),
    ];
    for (const body of bodies)
      await timed(
        fig,
        `${where}: body ${JSON.stringify(body.slice(0, 40))}`,
        async () => (await fetch(`${api}/ingest`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body })).status,
      );
    // uploads of generated files, one per request (the bound is per input); the first, not
    // timed, loads what a server loads once (jsdom, the language model)
    const upload = async (f: Generated): Promise<number> => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(f.bytes)]), f.name);
      return (await fetch(`${api}/ingest`, { method: 'POST', headers: auth, body: form })).status;
    };
    const warm = generate(rng, seed, counter);
    await upload(warm).catch(() => 0);
    for (let i = 0; i < rng.int(4, 12); i++) {
      const f = generate(rng, seed, counter);
      const status = await timed(fig, `${where}: upload ${f.name}`, () => upload(f));
      if (status !== null && status < 500) goodFiles.push(f);
    }
    // malformed framing and junk
    const raw = [
      `POST /api/v1/ingest HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"art\r\nZZZZ\r\nnot a chunk\r\n\r\n`,
      `POST /api/v1/ingest HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffff\r\n${'x'.repeat(100)}`,
      `POST /api/v1/ingest HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: multipart/form-data; boundary=zz\r\nContent-Length: 40\r\n\r\n--zz\r\nContent-Disposition: form-data\r\n\r\n`,
      `GET /api/v1/articles?limit=${'9'.repeat(400)}&offset=-1 HTTP/1.1\r\nHost: x\r\n\r\n`,
      `GET /api/v1/search?q=${'%22'.repeat(3000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      `GET /api/v1/articles/${'%ff'.repeat(100)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      `GET /${'a/'.repeat(3000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      `BREW /api/v1/ingest HTTP/1.1\r\nHost: x\r\n\r\n`,
    ];
    for (const payload of raw) await timed(fig, `${where}: raw ${JSON.stringify(payload.slice(0, 50))}`, async () => rawRequest(port, payload));
    const queries = [
      'q=',
      `q=${encodeURIComponent('"')}`,
      `q=${encodeURIComponent('a OR OR ( NEAR')}`,
      `q=${encodeURIComponent('*'.repeat(1000))}`,
      `q=${encodeURIComponent('\u0000')}`,
      `q=${'x'.repeat(5000)}`,
    ];
    for (const q of queries) await timed(fig, `${where}: search ${q.slice(0, 30)}`, async () => (await fetch(`${api}/search?${q}`)).status);
    // good uploads are stored once (the checks above do not count as failures of these)
    await checkGood(db, goodFiles, where, fig, () => undefined);
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('close', r));
  }
  const unhandled = server
    .log()
    .split('\n')
    .filter((l) => l.includes('"unhandled error"'));
  if (unhandled.length > 0) fig.problems.push(`${where}: the server logged unhandled errors: ${unhandled.slice(0, 3).join(' | ').slice(0, 800)}`);
}

export async function fuzz(opts: Options): Promise<Figures> {
  const work = mkdtempSync(join(tmpdir(), 'parallax-fuzz-'));
  const fig: Figures = {
    seed: opts.seed,
    seconds: 0,
    rounds: { files: 0, kill: 0, api: 0 },
    files: 0,
    filesByKind: {},
    inputBytes: 0,
    items: { stored: 0, failed: 0 },
    failedByCode: {},
    goodArticles: 0,
    kills: 0,
    requests: 0,
    requestsByStatus: {},
    slowestInputMs: 0,
    slowestRequestMs: 0,
    problems: [],
  };
  const keep = (name: string, files: readonly Generated[]): void => {
    if (!opts.out) return;
    writeBatch(join(opts.out, `seed-${opts.seed}`, name), files);
  };
  const rng = new Rng(opts.seed);
  const counter = { n: 0 };
  const t0 = performance.now();
  const deadline = t0 + opts.seconds * 1000;
  try {
    // the three kinds in turn, so that even a short run tries each
    const order = ['files', 'api', 'kill'] as const;
    for (let round = 0; performance.now() < deadline; round++) {
      const what = order[round % order.length]!;
      process.stderr.write(`fuzz: round ${round} (${what}), ${Math.round((performance.now() - t0) / 1000)} s\n`);
      if (what === 'files') await filesRound(rng, opts.seed, counter, work, round, fig, keep);
      else if (what === 'kill') await killRound(rng, opts.seed, counter, work, round, fig, keep);
      else await apiRound(rng, opts.seed, counter, work, round, fig);
      fig.rounds[what]++;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  fig.seconds = Math.round((performance.now() - t0) / 100) / 10;
  fig.slowestInputMs = Math.round(fig.slowestInputMs);
  fig.slowestRequestMs = Math.round(fig.slowestRequestMs);
  return fig;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let opts: Options;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`fuzz: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const fig = await fuzz(opts);
  if (opts.json) process.stdout.write(`${JSON.stringify(fig)}\n`);
  else {
    process.stdout.write(
      `fuzz seed ${fig.seed}, ${fig.seconds} s: ${fig.files} files (${(fig.inputBytes / 1e6).toFixed(1)} MB) in ${fig.rounds.files} rounds, ${fig.kills} kill -9, ${fig.requests} HTTP requests\n` +
        `  items: ${fig.items.stored} stored, ${fig.items.failed} failed ${JSON.stringify(fig.failedByCode)}; ${fig.goodArticles} good articles checked\n` +
        `  statuses ${JSON.stringify(fig.requestsByStatus)}; slowest input ${fig.slowestInputMs} ms, slowest request ${fig.slowestRequestMs} ms\n` +
        `  files by kind ${JSON.stringify(fig.filesByKind)}\n`,
    );
    for (const p of fig.problems) process.stdout.write(`PROBLEM ${p}\n`);
    process.stdout.write(fig.problems.length === 0 ? 'no problems\n' : `${fig.problems.length} problem(s)\n`);
  }
  process.exitCode = fig.problems.length === 0 ? 0 : 1;
}
