/**
 * /proc/<pid>/schedstat and /proc/<pid>/task/<tid>/schedstat: "<ns on a CPU> <ns runnable,
 * waiting in a run queue> <timeslices>". Null when the text is not that.
 */
export function parseSchedstat(text: string): { onCpuNs: number; waitingNs: number } | null {
  const [onCpu, waiting] = text.split(' ').map((field) => Number.parseInt(field, 10));
  return onCpu !== undefined && waiting !== undefined && Number.isFinite(onCpu) && Number.isFinite(waiting) ? { onCpuNs: onCpu, waitingNs: waiting } : null;
}
