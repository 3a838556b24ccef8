import type { Engine } from '../engine/engine.js';
import { Poller, type PollReport, type PollerOptions } from './poller.js';

export interface Watching {
  readonly poller: Poller;
  /** Stops the loop after the polls under way. */
  stop(): Promise<void>;
}

const running = new WeakMap<Engine, Watching>();

/** The poller running beside this engine (`serve --watch`), if any: the API wakes it when a source is added. */
export function watchingOf(engine: Engine): Watching | null {
  return running.get(engine) ?? null;
}

/** Runs the poller in this process over the engine's store until stopped; each poll is logged. */
export function startWatching(engine: Engine, log: (entry: Record<string, unknown>) => void, options: Pick<PollerOptions, 'hostDelayMs' | 'concurrency' | 'fetch'> = {}): Watching {
  const abort = new AbortController();
  const poller = new Poller({
    engine,
    repo: engine.store.sources,
    ...options,
    onPoll: (r: PollReport) => log({ level: r.ok ? 'info' : 'warn', msg: 'poll', ...r }),
  });
  const loop = poller.run(abort.signal).catch((e: unknown) => log({ level: 'error', msg: 'the poller stopped', error: e instanceof Error ? e.message : String(e) }));
  const watching: Watching = {
    poller,
    stop: async () => {
      abort.abort();
      await loop;
      running.delete(engine);
    },
  };
  running.set(engine, watching);
  return watching;
}
