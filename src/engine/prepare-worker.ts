import { parentPort } from 'node:worker_threads';
import { isParallaxError } from '../errors.js';
import { OutletNames } from '../ingest/outlets.js';
import { workOn, type WorkerReply, type WorkerRequest, type WorkerResult } from './prepare.js';

/** A preparation worker (see prepare.ts): builds articles and their features, or reprint prints, chunk by chunk. */
// the user's outlet table arrives with each article job; built again only when it changes
let outletsKey = '';
let outlets: OutletNames | undefined;
parentPort!.on('message', (req: WorkerRequest) => {
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
      return {
        ok: false,
        code: isParallaxError(e) ? e.code : null,
        message: e instanceof Error ? e.message : String(e),
        subject: isParallaxError(e) ? e.subject : undefined,
        ...(!isParallaxError(e) && e instanceof Error && e.stack ? { stack: e.stack } : {}),
      };
    }
  });
  parentPort!.postMessage({ seq: req.seq, results } satisfies WorkerReply);
});
