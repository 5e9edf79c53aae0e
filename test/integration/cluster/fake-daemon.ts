// Stands in for a daemon in the host-survival test: starts one http-hello worker through the
// ClusterDriver (argv: port, bytes the worker logs per request), prints {hostPid, workerPid}
// once it listens (reading the worker's output), then idles until the test kills it with SIGKILL.
import { ClusterDriver } from '../../../src/cluster/cluster-driver.js';
import { RecordedEvents, makeSpec } from './support.js';

const port = process.argv[2] ?? '0';
const logBytesPerRequest = process.argv[3] ?? '0';
const driver = new ClusterDriver();
const events = new RecordedEvents();
const spec = makeSpec('survivor', 'http-hello.js');
const worker = await driver.spawn({ spec, id: 0, instance: 0, env: { PORT: port, LOG_BYTES_PER_REQUEST: logBytesPerRequest } }, events);
worker.stdout?.resume();
await events.waitListening();
process.stdout.write(`${JSON.stringify({ hostPid: driver.hostPid('survivor'), workerPid: worker.pid })}\n`);
setInterval(() => undefined, 1000);
