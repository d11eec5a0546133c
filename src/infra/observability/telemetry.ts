import type { DestinationStream } from 'pino';
import { createLogger, type Logger } from './logger.ts';
import { Metrics } from './metrics.ts';

/** A process's logs and metrics, made once at start-up and handed to what reports to them. */
export interface Telemetry {
  log: Logger;
  metrics: Metrics;
}

export function createTelemetry(options: { logLevel: string; replica: string; logDestination?: DestinationStream }): Telemetry {
  return { log: createLogger({ level: options.logLevel, replica: options.replica, destination: options.logDestination }), metrics: new Metrics() };
}
