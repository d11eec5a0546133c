/**
 * The storage port every node uses: parameterised SQL (PostgreSQL dialect) and transactions.
 * Two adapters implement it: embedded PGlite (the default) and a PostgreSQL server.
 */
export interface Sql {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /**
   * Runs a statement for its effect; returns how many rows it inserted, updated or deleted. With
   * `prepare`, for a statement that runs very often with one text, a server keeps it parsed and
   * planned (on PostgreSQL, a prepared statement per connection).
   */
  execute(text: string, params?: unknown[], options?: { prepare?: boolean }): Promise<number>;
}

export interface Database extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `work` in one transaction: all of it is committed, or none of it. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * Runs `work` while holding the lock `name`, which no other process (or caller) on this node's
   * database holds meanwhile: replicas starting together migrate, or seed, one after the other.
   * A holder that dies releases it (on PostgreSQL, a session advisory lock).
   */
  withLock<T>(name: string, work: () => Promise<T>): Promise<T>;
  /**
   * Calls `onNotify` with the payload of each NOTIFY on `channel` (sent when its transaction
   * commits), from any process on this database, until the returned function is called. A lost
   * connection is made again; notifications sent meanwhile are lost, so a listener also polls.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** The connection pool's state, for metrics (a server's pool; the embedded database has none). */
  connections?(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}
