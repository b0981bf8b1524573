// Runs `eql-stream run` in this process (the integration tests spawn it as a child
// process with `node --import tsx`, so they can SIGKILL it).
import { runCommand } from '../../../src/cli/run.js';

process.exitCode = await runCommand(process.argv.slice(2));
