/** Line diff by longest common subsequence: small inputs (sentences of two versions). */
export type DiffOp = { op: 'same' | 'add' | 'del'; text: string };

export function diffLines(a: readonly string[], b: readonly string[]): DiffOp[] {
  const n = a.length;
  const m = b.length;
  const dp = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  const out: DiffOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: 'same', text: a[i]! });
      i++;
      j++;
    } else if (dp[i + 1]![j]! >= dp[i]![j + 1]!) out.push({ op: 'del', text: a[i++]! });
    else out.push({ op: 'add', text: b[j++]! });
  }
  while (i < n) out.push({ op: 'del', text: a[i++]! });
  while (j < m) out.push({ op: 'add', text: b[j++]! });
  return out;
}

/**
 * Word diff of two versions of a text: words and the white space between them are the units,
 * so a changed figure shows as one word struck and one inserted, not as a whole paragraph
 * replaced. The common beginning and end are cut off first; a middle too large for the
 * quadratic table (over 4M cells) falls back to whole lines.
 */
export function diffWords(a: string, b: string): DiffOp[] {
  const x = a.split(/(\s+)/).filter((t) => t !== '');
  const y = b.split(/(\s+)/).filter((t) => t !== '');
  let pre = 0;
  while (pre < x.length && pre < y.length && x[pre] === y[pre]) pre++;
  let post = 0;
  while (post < x.length - pre && post < y.length - pre && x[x.length - 1 - post] === y[y.length - 1 - post]) post++;
  const mid =
    (x.length - pre - post) * (y.length - pre - post) > 4_000_000
      ? diffLines(
          x
            .slice(pre, x.length - post)
            .join('')
            .split(/(?<=\n)/),
          y
            .slice(pre, y.length - post)
            .join('')
            .split(/(?<=\n)/),
        )
      : diffLines(x.slice(pre, x.length - post), y.slice(pre, y.length - post));
  const out: DiffOp[] = [];
  const push = (op: DiffOp): void => {
    const last = out[out.length - 1];
    if (last && last.op === op.op) last.text += op.text;
    else out.push({ ...op });
  };
  if (pre > 0) push({ op: 'same', text: x.slice(0, pre).join('') });
  for (const o of mid) push(o);
  if (post > 0) push({ op: 'same', text: x.slice(x.length - post).join('') });
  return out;
}
