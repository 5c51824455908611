// Layer rules, checked by `npm run lint` (dependency-cruiser). docs/architecture.md, "Layers and
// rules", explains them; scripts/test/dependency-rules.test.ts proves each one fails on a wrong import.
// Paths are relative to the directory depcruise runs in (the repository root).

/** Code that runs in production: the service's src and the src of every library but the dev-only ones. */
const RUNTIME = '^(libs/(?!testing/|onnx-builder/)[^/]+/src/|services/[^/]+/src/)';
/** Dev-only libraries: the test harness and the ONNX model builder, by path or (before they resolve) by name. */
const DEV_ONLY_LIBS = '^(libs/(testing|onnx-builder)/|@sentiment/(testing|onnx-builder)$)';
/** Kafka client libraries, installed (node_modules/...) or not yet (bare name). */
const KAFKA_CLIENTS = '^(node_modules/)?(kafkajs|@platformatic/kafka)(/|$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Modules form no cycle: each layer can be understood, built and tested without the ones above it.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'libs-not-to-services',
      comment: 'Libraries never import a service: dependencies point services -> libs.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^services/' },
    },
    {
      name: 'services-only-to-libs',
      comment: "A service's code imports libraries (and its own files), never another service, scripts or benchmarks.",
      severity: 'error',
      from: { path: '^services/([^/]+)/src/' },
      to: { path: '^(services|scripts|bench)/', pathNot: '^services/$1/' },
    },
    {
      name: 'libs-by-package-name',
      comment: "Another library is imported by its package name (@sentiment/x, i.e. its src/index.ts), never by a path into its files.",
      severity: 'error',
      from: { path: '^(libs|services)/([^/]+)/src/' },
      to: { path: '^libs/(?!$2/)[^/]+/', pathNot: '^libs/[^/]+/src/index\\.ts$' },
    },
    {
      name: 'tests-by-package-name',
      comment: "Tests too use a library's package name (its index), not its files.",
      severity: 'error',
      from: { path: '^(libs|services)/([^/]+)/test/' },
      to: { path: '^libs/(?!$2/)[^/]+/src/', pathNot: '^libs/[^/]+/src/index\\.ts$' },
    },
    {
      name: 'runtime-not-to-tests',
      comment: 'Production code never imports test code.',
      severity: 'error',
      from: { path: RUNTIME },
      to: { path: '^(libs|services)/[^/]+/test/' },
    },
    {
      name: 'scoring-and-kafka-apart',
      comment: 'Scoring knows nothing of Kafka, and Kafka nothing of scoring.',
      severity: 'error',
      from: { path: '^libs/(scoring|kafka)/' },
      to: { path: '^libs/(scoring|kafka)/', pathNot: '^libs/$1/' },
    },
    {
      name: 'http-not-to-scoring',
      comment: 'The HTTP layer is given its analyze function; the score contract comes from libs/events.',
      severity: 'error',
      from: { path: '^libs/http/' },
      to: { path: '^libs/scoring/' },
    },
    {
      name: 'runtime-not-to-dev-libs',
      comment: 'Production code never imports the test harness (@sentiment/testing) or the ONNX model builder (@sentiment/onnx-builder).',
      severity: 'error',
      from: { path: RUNTIME },
      to: { path: DEV_ONLY_LIBS },
    },
    {
      name: 'kafka-clients-only-in-libs-kafka',
      comment:
        'Among production code only libs/kafka talks to a Kafka client library (kafkajs, @platformatic/kafka); tests, ' +
        'benchmarks, scripts and libs/testing may use kafkajs as a foreign client.',
      severity: 'error',
      from: { path: RUNTIME, pathNot: '^libs/kafka/src/' },
      to: { path: KAFKA_CLIENTS },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves (a typo or a missing dependency fails here, not at run time).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // libs/*/entry.js only point Node at the compiled output, which a fresh clone has not built yet.
    exclude: { path: '^(dist|coverage|models|tools)/|(^|/)\\.cache/|^libs/[^/]+/entry\\.js$' },
    // Type-only imports count too: a type is a dependency on its definition.
    tsPreCompilationDeps: true,
    // @sentiment/* resolve to libs/*/src/index.ts, as the compiler sees them.
    tsConfig: { fileName: 'tsconfig.json' },
    // Packages that publish only an `exports` map (e.g. @platformatic/kafka) resolve through it.
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.cjs', '.mjs', '.json', '.node'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
