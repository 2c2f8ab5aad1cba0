// Static assets under versioned URLs, so browsers may cache them forever.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import express, { type Router } from "express";
import { ROOT_DIR } from "./config.ts";

const PUBLIC_DIR = path.join(ROOT_DIR, "public");
const NODE_MODULES = path.join(ROOT_DIR, "node_modules");

function packageVersion(name: string): string {
  return JSON.parse(readFileSync(path.join(NODE_MODULES, name, "package.json"), "utf8")).version;
}

function hashTree(dir: string): string {
  const hash = createHash("sha256");
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      const full = path.join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else hash.update(entry).update(readFileSync(full));
    }
  };
  walk(dir);
  return hash.digest("hex").slice(0, 10);
}

/** Vendor packages served from node_modules (never a CDN), each under its own version. */
const VENDOR = ["survey-core", "survey-js-ui", "chart.js"] as const;

export interface Assets {
  /** URL of a file in public/, e.g. asset("css/site.css"). */
  asset(file: string): string;
  /** URL of a file in a vendor package, e.g. vendor("survey-core", "survey.core.min.js"). */
  vendor(pkg: (typeof VENDOR)[number], file: string): string;
  router: Router;
}

export function createAssets(): Assets {
  const publicVersion = hashTree(PUBLIC_DIR);
  const versions = Object.fromEntries(VENDOR.map((p) => [p, packageVersion(p)])) as Record<
    (typeof VENDOR)[number],
    string
  >;
  const immutable = { immutable: true, maxAge: "365d", index: false, fallthrough: false } as const;
  const router = express.Router();
  router.use(`/assets/${publicVersion}`, express.static(PUBLIC_DIR, immutable));
  for (const pkg of VENDOR) {
    router.use(
      `/vendor/${pkg}@${versions[pkg]}`,
      express.static(path.join(NODE_MODULES, pkg), immutable),
    );
  }
  return {
    asset: (file) => `/assets/${publicVersion}/${file}`,
    vendor: (pkg, file) => `/vendor/${pkg}@${versions[pkg]}/${file}`,
    router,
  };
}
