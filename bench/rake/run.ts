// npm run bench:rake -- [--respondents 100000] [--runs 5] [--iterations 100]
//
// Raking alone (server/analysis/rake.ts), on a generated sample shaped like the community
// survey's (bench/rake/generate.ts): age (7 bands), language group (9) and area (25 ZIP codes),
// drawn unevenly enough that the default bounds [0.2, 5] bind and raking takes about 90 passes
// at 100,000 respondents. Prints the time of each run, the passes made and whether the margins
// were met. Seeded, so runs repeat.
import { cpus, loadavg, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { rake } from "../../server/analysis/rake.ts";
import { generatedRakingCase } from "./generate.ts";

const { values } = parseArgs({
  options: {
    respondents: { type: "string", default: "100000" },
    runs: { type: "string", default: "5" },
    iterations: { type: "string", default: "100" },
  },
});
const count = Number(values.respondents);
const runs = Number(values.runs);
const maxIterations = Number(values.iterations);

const { respondents, margins } = generatedRakingCase(count);
console.log(
  `Raking ${count.toLocaleString("en-US")} respondents on 3 margins (7, 9, 25 categories), bounds [0.2, 5], at most ${maxIterations} passes`,
);
console.log(
  `Machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, load average ${loadavg()[0]?.toFixed(1)}`,
);
const times: number[] = [];
for (let run = 0; run < runs; run++) {
  const started = performance.now();
  const result = rake(respondents, margins, { trim: [0.2, 5], maxIterations });
  const ms = performance.now() - started;
  times.push(ms);
  console.log(
    `run ${run + 1}: ${ms.toFixed(1)} ms, ${result.iterations} passes, converged ${result.converged}, max deviation ${result.maxDeviation.toExponential(2)}`,
  );
}
times.sort((a, b) => a - b);
console.log(
  `median ${times[Math.floor(times.length / 2)]?.toFixed(1)} ms, min ${times[0]?.toFixed(1)} ms; load average now ${loadavg()[0]?.toFixed(1)}`,
);
