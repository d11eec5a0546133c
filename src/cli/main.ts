import { ConcordError, errorCode, isConcordError } from '../shared/errors.ts';

/**
 * `concord <group> <command> [args]`. Each command group is one module under ./commands that
 * exports `run(args)`; it is loaded only when asked for, so a group's dependencies cost nothing
 * to the others.
 */
const groups: Record<string, { module: string; summary: string }> = {
  fingerprint: { module: './commands/fingerprint.ts', summary: 'extract, compare and evaluate fingerprints' },
  synth: { module: './commands/synth.ts', summary: 'generate synthetic fingerprints' },
  ebts: { module: './commands/ebts.ts', summary: 'read, build and submit ANSI/NIST-ITL transactions' },
  serve: { module: './commands/serve.ts', summary: 'run the Concord server, or some of its nodes (--node; add --demo for the demo population)' },
  cluster: { module: './commands/cluster.ts', summary: 'two gateways, two immigration and two criminal replicas as processes, on PostgreSQL and NATS' },
  matcher: { module: './commands/matcher.ts', summary: 'serve one shard of a repository\'s search gallery (--repository criminal --shard k/N)' },
  enroll: { module: './commands/enroll.ts', summary: 'port-of-entry enrollment through the API' },
  book: { module: './commands/book.ts', summary: 'booking through the API' },
  identify: { module: './commands/identify.ts', summary: 'rapid identification through the API' },
  history: { module: './commands/history.ts', summary: 'one-stop history through the API' },
  audit: { module: './commands/audit.ts', summary: 'verify and search the audit trail' },
};

export interface CommandModule {
  run(args: string[]): Promise<number | void>;
}

function usage(): string {
  const lines = Object.entries(groups).map(([name, g]) => `  ${name.padEnd(12)} ${g.summary}`);
  return `usage: concord <command> [arguments]\n\ncommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [group, ...rest] = argv;
  if (!group || group === '--help' || group === '-h' || group === 'help') {
    process.stdout.write(usage());
    return group ? 0 : 2;
  }
  const entry = groups[group];
  if (!entry) {
    process.stderr.write(`concord: unknown command "${group}"\n\n${usage()}`);
    return 2;
  }
  const command = (await import(entry.module)) as CommandModule;
  return (await command.run(rest)) ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exit(failureExitCode(error));
  },
);

/**
 * Reports a failure and gives its exit code. The process then exits at once: a command that
 * failed half-way (a server whose database refused it) may still hold connections that would
 * otherwise keep it running.
 */
function failureExitCode(error: unknown): number {
  if (isArgumentError(error)) {
    // Node's own argument parser: an unknown option, or one missing its value.
    process.stderr.write(`concord: BAD_ARGUMENT: ${error.message}\n`);
    return 2;
  }
  if (isConcordError(error)) {
    const where = Object.entries(error.where).map(([k, v]) => `${k}=${v}`).join(' ');
    process.stderr.write(`concord: ${error.code}: ${error.message}${where ? ` (${where})` : ''}\n`);
    return 1;
  }
  process.stderr.write(`concord: unexpected failure: ${error instanceof Error ? error.stack : String(error)}\n`);
  return 70;
}

function isArgumentError(error: unknown): error is Error {
  return error instanceof Error && errorCode(error).startsWith('ERR_PARSE_ARGS_');
}
