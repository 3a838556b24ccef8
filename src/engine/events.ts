import type { ArticleId, StoryId } from '../domain/ids.js';

export interface EngineEvents {
  'article.added': { id: ArticleId; source: string };
  'article.updated': { id: ArticleId; source: string; version: number };
  'story.created': { id: StoryId };
  'story.changed': { id: StoryId };
}

type Listener<T> = (payload: T) => void;

/**
 * A minimal typed event emitter; listeners are called synchronously, in order. A listener
 * that throws, or returns a promise that rejects, does not stop the others or the caller (an
 * ingest whose batch is already committed must go on): the error is reported as a process
 * warning (code PARALLAX_LISTENER), which Node prints to stderr.
 */
export class Emitter<E extends object> {
  private readonly listeners = new Map<keyof E, Array<Listener<never>>>();

  on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener);
    this.listeners.set(event, list);
    return () => {
      const l = this.listeners.get(event);
      // a second call must not remove another listener (indexOf -1 would splice the last)
      const i = l ? l.indexOf(listener) : -1;
      if (i >= 0) l!.splice(i, 1);
    };
  }

  /** Whether anyone listens to `event` (a caller may skip making a payload no one reads). */
  has<K extends keyof E>(event: K): boolean {
    return (this.listeners.get(event)?.length ?? 0) > 0;
  }

  emit<K extends keyof E>(event: K, payload: E[K]): void {
    const listeners = this.listeners.get(event);
    if (!listeners || listeners.length === 0) return;
    // a copy: a listener may unsubscribe itself (or another) while this runs
    const warn = (e: unknown): void => {
      const err = e instanceof Error ? e : new Error(String(e));
      process.emitWarning(`a listener of ${String(event)} threw: ${err.message}`, { code: 'PARALLAX_LISTENER', detail: err.stack ?? '' });
    };
    for (const l of [...listeners]) {
      try {
        // an async listener type-checks as returning void: its rejection is caught as well
        const r: unknown = (l as Listener<E[K]>)(payload);
        if (r instanceof Promise) r.catch(warn);
      } catch (e) {
        warn(e);
      }
    }
  }
}
