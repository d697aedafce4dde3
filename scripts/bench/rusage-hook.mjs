// Preloaded (`node --import`) into every process the benchmark measures: at exit, writes the process's own resource
// usage (peak resident memory of all its threads, CPU time) to the file BENCH_RUSAGE_FILE names. Node cannot read a
// child's rusage, and GNU time is not installed everywhere.
import { writeFileSync } from 'node:fs';

const target = process.env.BENCH_RUSAGE_FILE;
// Processes this one starts must not overwrite the figure.
delete process.env.BENCH_RUSAGE_FILE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(target, JSON.stringify({ maxRssKiB: usage.maxRSS, userUs: usage.userCPUTime, systemUs: usage.systemCPUTime }));
  });
}
