// The import rules of Open Door's layers (docs/ARCHITECTURE.md draws them), checked by
// `npm run check:layers` (scripts/check-layers.ts) as part of `npm run check`.
//
// Layers, lowest first; a module may import its own layer and the layers below it, never above:
//   1. core       server/{config,errors,json-text,csv-safe,csv-stream,safe-link,db,exit-message}.ts,
//                 server/analysis/
//   2. queries    server/queries/           all SQL
//   3. domain     server/{surveys,imports,results,auth,kiosk,rubric,maps,i18n,libraries}/
//                 (except imports/demo.ts, the demo loader, which runs a usage-gap analysis)
//   4. reports    server/reports/           view models for pages and exports
//   5. exports    server/exports/           CSV files, R and SPSS syntax
//   6. web        server/{middleware,routes}/, server/{app,assets}.ts
//   7. entry      server/index.ts, scripts/, bench/ (and test/, which may import anything)
// (Paths are written for the .js copies check-layers.ts makes of the .ts sources.)

const core = "^server/(config|errors|json-text|csv-safe|csv-stream|safe-link|db|exit-message)[.]js$";
const analysis = "^server/analysis/";
const queries = "^server/queries/";
const domain = "^server/(surveys|imports|results|auth|kiosk|rubric|maps|i18n|libraries)/";
// The demo loader fills a fresh library the way a person would, ending with a usage-gap run
// (reports/usage-gaps.ts), so it sits above reports; the demo's data modules stay in imports/.
const demoLoader = "^server/imports/demo[.]js$";
const reports = "^server/reports/";
const exportsLayer = "^server/exports/";
const web = "^server/(middleware/|routes/|app[.]js$|assets[.]js$)";
const entry = "^(server/index[.]js$|scripts/|bench/|test/)";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment:
        "A cycle means neither module can be understood, tested or moved without the other: " +
        "put what both need in the lower one, or in a module of its own.",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-unresolvable",
      severity: "error",
      comment:
        "An import check-layers could not resolve is an import it did not check (or a typo).",
      from: {},
      // Packages that ship only types (geojson…) have no file to resolve.
      to: { couldNotResolve: true, path: "^[.]" },
    },
    {
      name: "analysis-is-pure",
      severity: "error",
      comment:
        "Statistics are plain functions of numbers (one per file): no database, no files, no " +
        "product modules, so every method can be tested against R or Python alone.",
      from: { path: analysis },
      to: { path: "^server/", pathNot: analysis },
    },
    {
      name: "core-stays-core",
      severity: "error",
      comment:
        "Configuration, errors, JSON text and the database handle are used by everything, so " +
        "they may import nothing of the product's above them.",
      from: { path: core },
      to: { path: "^server/", pathNot: core },
    },
    {
      name: "queries-only-sql",
      severity: "error",
      comment:
        "Query modules hold the SQL and the shapes of stored rows; they may not import the " +
        "modules that use them (imports, auth, results, reports…). A type both need lives in " +
        "the query module that stores it.",
      from: { path: queries },
      to: { path: "^server/", pathNot: [core, analysis, queries].join("|") },
    },
    {
      name: "domain-below-reports",
      severity: "error",
      comment:
        "Product modules (surveys, imports, results, auth, kiosk, rubric, maps, i18n, libraries) do the " +
        "work; reports present it, exports write it, routes serve it. A product module that " +
        "imports one of those is a back-edge: move the shared piece down.",
      from: { path: domain, pathNot: demoLoader },
      to: { path: [reports, exportsLayer, web, entry].join("|") },
    },
    {
      name: "reports-below-exports",
      severity: "error",
      comment:
        "Reports build view models that pages and exports share; exports depend on reports, " +
        "never the reverse (the formula-safe CSV cell and stream every CSV is written with " +
        "are core: server/csv-safe.ts, server/csv-stream.ts).",
      from: { path: reports },
      to: { path: [exportsLayer, web, entry].join("|") },
    },
    {
      name: "exports-below-web",
      severity: "error",
      comment: "CSV and syntax writers are called by routes and scripts alike, so know neither.",
      from: { path: exportsLayer },
      to: { path: [web, entry].join("|") },
    },
    {
      name: "routes-not-imported-by-product-modules",
      severity: "error",
      comment:
        "Routes and middleware are Express wiring; product logic is called by both the web " +
        "and the command line, so it may not depend on Express wiring.",
      from: { pathNot: "^server/(middleware/|routes/|app[.]js$)|^(bench|scripts|test)/" },
      to: { path: "^server/(routes|middleware)/" },
    },
    {
      name: "no-route-to-route",
      severity: "error",
      comment:
        "A route module that imports another has taken a piece that belongs lower: in a " +
        "product module, in middleware, or in routes/staff/pages.ts (what every staff page " +
        "shares). Only the router that mounts them (routes/staff/index.ts) imports routes.",
      from: {
        path: "^server/routes/",
        pathNot: "^server/routes/staff/index[.]js$",
      },
      to: { path: "^server/routes/", pathNot: "^server/routes/staff/pages[.]js$" },
    },
    {
      name: "web-below-entry",
      severity: "error",
      comment: "server/index.ts, scripts and benches start things; nothing imports them.",
      from: { pathNot: entry },
      to: { path: entry },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^server/imports/patron-worker-entry[.]mjs$" },
    moduleSystems: ["es6"],
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
  },
};
