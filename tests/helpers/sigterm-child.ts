// Test-only child (tests/api/service-sigterm.test.ts): the service's SIGTERM handling with a shutdown that never
// ends, as a service whose registered work hangs.
import { shutdownOnSigterm } from '../../core/api/service-sigterm.js';

shutdownOnSigterm(() => void process.stdout.write('shutdown\n'));
setInterval(() => undefined, 1_000);
process.stdout.write('ready\n');
