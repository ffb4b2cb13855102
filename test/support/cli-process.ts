// Runs the CLI from source in a child process the way bin/fwlens.js runs the built one, for tests that need real stdio.
import { guardStdout, run } from '../../src/cli/main.js';

const argv = process.argv.slice(2);
guardStdout(argv);
process.exitCode = await run(argv);
