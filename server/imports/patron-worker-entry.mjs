// Entry of the patron import's worker threads: loads the TypeScript worker through tsx's API,
// because on Node 20 a worker thread does not get the --import tsx loader of the process that
// started it.
import { tsImport } from "tsx/esm/api";

await tsImport("./patron-worker.ts", import.meta.url);
