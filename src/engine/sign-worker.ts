import { parentPort } from 'node:worker_threads';
import type { DedupParams } from '../dedup/signature.js';
import { packPrints, signUnit, toWire, type SignEntry, type SignJob } from './sign-work.js';

/** A signing worker (sign-pool.ts): signs units of input for reprint detection, one message each. */
export interface SignRequest {
  readonly seq: number;
  readonly job: SignJob;
  readonly params: DedupParams;
}

parentPort!.on('message', (req: SignRequest) => {
  let records = 0;
  let entries: SignEntry[];
  try {
    const r = signUnit(req.job, req.params);
    records = r.records;
    // errors cross as code and message (classes do not)
    entries = r.entries.map((e) => (e.ok === false ? { ...e, error: toWire(e.error) } : e));
  } catch (e) {
    parentPort!.postMessage({ seq: req.seq, failed: toWire(e) });
    return;
  }
  const packed = packPrints(entries);
  parentPort!.postMessage({ seq: req.seq, entries, records, packed }, [packed]);
});
