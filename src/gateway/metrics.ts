import type { Sql } from '../infra/db/database.ts';
import type { Requester } from './access.ts';
import type { WorkflowContext } from './workflow-context.ts';

/**
 * The operational metrics of domain brief §9 that the gateway can see: transactions per day and
 * type, response times per type (p50/p95/p99), rapid-identification answers by colour,
 * enrollment decisions, notifications by kind and refusals. Computed from the gateway's own
 * tables, so they are live as transactions arrive.
 */
export interface OperationalMetrics {
  since: string;
  perDay: { day: string; tot: string; count: number }[];
  responseTimes: { tot: string; count: number; p50Ms: number; p95Ms: number; p99Ms: number }[];
  rapidIdentification: Record<string, number>;
  enrollmentDecisions: Record<string, number>;
  notifications: Record<string, number>;
  refusals: number;
}

export async function operationalMetrics(db: Sql, since: Date): Promise<OperationalMetrics> {
  const from = since.toISOString();
  const perDay = await db.query<{ day: string; tot: string; count: number }>(
    `SELECT to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, tot, count(*)::int AS count FROM transactions WHERE received_at >= $1 GROUP BY 1, 2 ORDER BY 1, 2`,
    [from],
  );
  const times = await db.query<{ tot: string; count: number; p50: number; p95: number; p99: number }>(
    `SELECT tot, count(*)::int AS count,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) AS p95,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99
       FROM (SELECT tot, EXTRACT(EPOCH FROM (answered_at::timestamptz - received_at::timestamptz)) * 1000 AS ms
               FROM transactions WHERE received_at >= $1 AND answered_at IS NOT NULL) timed
      GROUP BY tot ORDER BY tot`,
    [from],
  );
  const counted = async (sql: string) => Object.fromEntries((await db.query<{ key: string; count: number }>(sql, [from])).map((r) => [r.key ?? 'unknown', Number(r.count)]));
  const [{ refusals }] = await db.query<{ refusals: number }>(`SELECT count(*)::int AS refusals FROM audit_log WHERE outcome = 'refused' AND at >= $1`, [from]);
  return {
    since: from,
    perDay: perDay.map((r) => ({ day: r.day, tot: r.tot, count: Number(r.count) })),
    responseTimes: times.map((r) => ({ tot: r.tot, count: Number(r.count), p50Ms: Math.round(Number(r.p50)), p95Ms: Math.round(Number(r.p95)), p99Ms: Math.round(Number(r.p99)) })),
    rapidIdentification: await counted(`SELECT response->>'color' AS key, count(*)::int AS count FROM transactions WHERE tot = 'identify' AND status = 'answered' AND received_at >= $1 GROUP BY 1`),
    enrollmentDecisions: await counted(`SELECT response->>'decision' AS key, count(*)::int AS count FROM transactions WHERE tot = 'encounter' AND status = 'answered' AND received_at >= $1 GROUP BY 1`),
    notifications: await counted(`SELECT kind AS key, count(*)::int AS count FROM notifications WHERE sent_at >= $1 GROUP BY 1`),
    refusals: Number(refusals),
  };
}

/** Aggregate operational figures (no personal data) since `days` days ago, for whoever may read metrics. */
export async function metrics(ctx: WorkflowContext, requester: Requester, days: number): Promise<OperationalMetrics> {
  await ctx.authorize(requester, 'metrics.read');
  return operationalMetrics(ctx.db, new Date(ctx.now().getTime() - days * 86_400_000));
}
