// npm run check:layers: checks the import rules of .dependency-cruiser.cjs (docs/ARCHITECTURE.md).
//
// dependency-cruiser reads TypeScript only through the TypeScript 2-6 compiler API, and this
// project compiles with TypeScript 7, which has none: left alone, dependency-cruiser would skip
// every .ts file and pass with nothing checked. So this script first turns each source file into
// JavaScript with esbuild (already here through tsx), keeping type-only imports as imports,
// because a type borrowed from a higher layer is a back-edge too, then lets dependency-cruiser
// check that copy, and fails when it did not see every source file.
import { existsSync } from "node:fs";
import {
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cruise, type IConfiguration, type ICruiseResult } from "dependency-cruiser";
import { transform } from "esbuild";

// The project to check: this one, or the folder given (test/scripts/check-layers.test.ts).
const ROOT_DIR = process.argv[2] ?? fileURLToPath(new URL("..", import.meta.url));
const ROOTS = ["server", "scripts", "bench", "db", "test"].filter((root) =>
  existsSync(join(ROOT_DIR, root)),
);

const configuration = createRequire(import.meta.url)(
  join(ROOT_DIR, ".dependency-cruiser.cjs"),
) as IConfiguration;

/** Type-only imports and re-exports, written as plain ones so esbuild keeps them. */
function keepTypeImports(source: string): string {
  return source
    .replace(/\bimport type\b/g, "import")
    .replace(/\bexport type\b(?=\s*\{)/g, "export");
}

/** Relative `.ts` specifiers point at the `.js` copies. */
function pointAtCopies(code: string): string {
  return code.replace(/(["'])(\.{1,2}\/[^"']+)\.ts\1/g, "$1$2.js$1");
}

async function sourceFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const root of ROOTS) {
    for (const file of await readdir(join(ROOT_DIR, root), { recursive: true })) {
      if (/\.(ts|mjs|json)$/.test(file)) files.push(join(root, file));
    }
  }
  return files.sort();
}

async function copyAsJavaScript(files: string[], into: string): Promise<void> {
  await Promise.all(
    files.map(async (file) => {
      const target = join(into, file.replace(/\.ts$/, ".js"));
      await mkdir(dirname(target), { recursive: true });
      if (!file.endsWith(".ts")) {
        await copyFile(join(ROOT_DIR, file), target);
        return;
      }
      const source = await readFile(join(ROOT_DIR, file), "utf8");
      const { code } = await transform(keepTypeImports(source), {
        loader: "ts",
        format: "esm",
        sourcefile: file,
        tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
      });
      await writeFile(target, pointAtCopies(code));
    }),
  );
}

const asSource = (path: string) => path.replace(/\.js$/, ".ts");

const files = await sourceFiles();
const copy = await mkdtemp(join(tmpdir(), "open-door-layers-"));
try {
  await copyAsJavaScript(files, copy);
  // Packages resolve from the copy as they do from the project (and are not followed).
  await symlink(join(ROOT_DIR, "node_modules"), join(copy, "node_modules"));
  await copyFile(join(ROOT_DIR, "package.json"), join(copy, "package.json"));
  const result = (
    await cruise(ROOTS, {
      ...configuration.options,
      validate: true,
      ruleSet: configuration,
      baseDir: copy,
    })
  ).output as ICruiseResult;

  const seen = new Set(result.modules.map((module) => asSource(module.source)));
  const unseen = files.filter((file) => file.endsWith(".ts") && !seen.has(file));
  if (unseen.length > 0) {
    console.error(`check:layers did not read ${unseen.length} files, e.g. ${unseen[0]}`);
    process.exitCode = 1;
  }
  for (const violation of result.summary.violations) {
    const path = violation.to === violation.from ? "" : ` → ${asSource(violation.to)}`;
    const cycle = violation.cycle?.length
      ? `\n    cycle: ${violation.cycle.map((step) => asSource(step.name)).join(" → ")}`
      : "";
    console.error(
      `${violation.rule.severity} ${violation.rule.name}: ${asSource(violation.from)}${path}${cycle}`,
    );
  }
  const { error, warn } = result.summary;
  if (error > 0) process.exitCode = 1;
  console.log(
    `check:layers: ${result.summary.totalCruised} modules, ${result.summary.totalDependenciesCruised} imports, ${error} errors, ${warn} warnings`,
  );
} finally {
  await rm(copy, { recursive: true, force: true });
}
