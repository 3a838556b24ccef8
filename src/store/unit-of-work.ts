/**
 * A transaction in progress, shared by the article store and every repository of one store:
 * what each writes through it commits together or not at all. Obtained from
 * `Store.transaction` (or `Store.exclusive`); it is valid only until that call settles, and a
 * repository refuses a handle of another store or one already settled. Opaque to callers.
 */
export interface UnitOfWork {
  /** the kind of store it belongs to (`sqlite`, `postgres`, `memory`) */
  readonly kind: string;
}
