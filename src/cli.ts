#!/usr/bin/env node
// Argument parsing only: each command lives in src/cli/<command>.ts and calls the library.
import { runCli } from './cli/run';
import { SpectrometerError } from './errors';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    // A wrong command line exits 2, like the commands' own usage errors; anything else 1.
    const usage = error instanceof SpectrometerError && error.code === 'SPM_CLI_USAGE';
    process.exitCode = usage ? 2 : 1;
  },
);
