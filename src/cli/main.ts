// The `eql-stream` command: one subcommand per job, each a thin layer over the modules.
// Subcommands load lazily, so `scan` does not pay for the Kafka client and `run` not for the demo.
import { packageVersion } from './version.js';

const COMMANDS: Readonly<Record<string, { summary: string; load: () => Promise<(argv: string[]) => Promise<number>> }>> = {
  run: { summary: 'the streaming worker: Kafka in, alerts out', load: async () => (await import('./run.js')).runCommand },
  scan: { summary: 'evaluate rules on NDJSON events from a file or stdin', load: async () => (await import('./scan.js')).scanCommand },
  lint: { summary: 'check rule files or a query for bugs and never-matching patterns', load: async () => (await import('./lint.js')).lintCommand },
  explain: { summary: 'show the compiled plan, prefilter literals and fields per input shape', load: async () => (await import('./explain.js')).explainCommand },
  demo: { summary: 'the whole pipeline on the bundled real events through a local broker', load: async () => (await import('./demo.js')).demoCommand },
};

const USAGE = `usage: eql-stream <command> [options]   (eql-stream <command> --help for its options)
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`).join('\n')}
  --version`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`eql-stream: unknown command "${name}"\n${USAGE}\n`);
    return 2;
  }
  return (await command.load())(rest);
}

process.exitCode = await main(process.argv.slice(2));
