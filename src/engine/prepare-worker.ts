import { parentPort } from 'node:worker_threads';
import { OutletNames } from '../ingest/outlets.js';
import { leanReply, toWireError, workOn, type LeanRequest, type WorkerReply, type WorkerRequest, type WorkerResult } from './prepare.js';

/**
 * A preparation worker (see prepare.ts): builds articles and their features or reprint
 * sketches, chunk by chunk; or, for a lean pipeline, reads raw JSON Lines chunks and sketches
 * them (LeanRequest), answering with the sketches packed into one moved buffer.
 */
// the user's outlet table arrives with each article job; built again only when it changes
let outletsKey = '';
let outlets: OutletNames | undefined;
parentPort!.on('message', (req: WorkerRequest | LeanRequest) => {
  if ('lean' in req) {
    const reply = leanReply(req);
    parentPort!.postMessage(reply, 'packed' in reply ? [reply.packed, ...reply.texts] : []);
    return;
  }
  const given = req.job.outlets;
  const key = given ? JSON.stringify(given) : '';
  if (key !== outletsKey) {
    outletsKey = key;
    outlets = given ? new OutletNames(undefined, given) : undefined;
  }
  const results: WorkerResult[] = req.drafts.map((draft) => {
    try {
      return workOn(draft, req.job, outlets);
    } catch (e) {
      // a catalogue error is an input's fault; anything else is a bug, whose stack is kept
      return { ok: false, ...toWireError(e) };
    }
  });
  parentPort!.postMessage({ seq: req.seq, results } satisfies WorkerReply);
});
