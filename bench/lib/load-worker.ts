// Runs autocannon in its own process, so the load generator never shares an event loop with the
// bench's probes, and reports its own CPU share (it competes with the servers for the 2 cores).
import autocannon from 'autocannon';
import type { LoadRequest, LoadResult, LoadWorkerMessage } from './load.js';

function send(message: LoadWorkerMessage): void {
  process.send?.(message);
}

const request = JSON.parse(process.argv[2] ?? '{}') as LoadRequest;
const cpuStart = process.cpuUsage();
const wallStart = process.hrtime.bigint();
const instance = autocannon(
  { url: `http://127.0.0.1:${request.port}/`, connections: request.connections, pipelining: 1, duration: request.durationS },
  (error, result) => {
    if (error) {
      send({ type: 'error', message: error.message });
      process.exit(1);
    }
    const cpu = process.cpuUsage(cpuStart);
    const wallUs = Number(process.hrtime.bigint() - wallStart) / 1000;
    const load: LoadResult = {
      requestsPerS: result.requests.average,
      p99Ms: result.latency.p99,
      ok2xx: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      resets: result.resets,
      generatorCpuPercent: ((cpu.user + cpu.system) / wallUs) * 100,
    };
    send({ type: 'done', result: load });
    process.disconnect?.();
  },
);
process.on('message', (message) => {
  if (message === 'stop') instance.stop();
});
send({ type: 'started' });
