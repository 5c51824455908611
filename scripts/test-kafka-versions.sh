#!/usr/bin/env bash
# Runs the integration suite on each Kafka version (scripts/kafka-versions.sh does the running:
# a fresh broker per version, jars fetched on first use) and then compares the outcomes test by
# test, so a test that passes on one version and fails on another stands out.
#
# Usage: scripts/test-kafka-versions.sh [version ...]    (default: 3.9.1 and 4.4.0, the newest 4.x verified)
#        JEST_ARGS="dist/services/sentiment-worker/test/reliability-eos" scripts/test-kafka-versions.sh
# Results: .cache/kafka-versions/<version>.json (jest --json) and a summary on stdout.
set -uo pipefail
cd "$(dirname "$0")/.."
versions=("$@")
[ ${#versions[@]} -eq 0 ] && versions=(3.9.1 4.4.0)
out=.cache/kafka-versions
mkdir -p "$out"

status=0
for v in "${versions[@]}"; do
  rm -f "$out/$v.json"
  started=$(date +%s)
  JEST_ARGS="${JEST_ARGS:-} --json --outputFile=$out/$v.json" bash scripts/kafka-versions.sh "$v" || status=1
  echo "Kafka $v: $(( $(date +%s) - started )) s" > "$out/$v.time"
done

node - "$out" "${versions[@]}" <<'EOF'
const fs = require('node:fs');
const [dir, ...versions] = process.argv.slice(2);
const outcomes = new Map(); // test name -> { version: status }
for (const v of versions) {
  const file = `${dir}/${v}.json`;
  if (!fs.existsSync(file)) { console.log(`Kafka ${v}: no results (${file} missing)`); continue; }
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const time = fs.existsSync(`${dir}/${v}.time`) ? fs.readFileSync(`${dir}/${v}.time`, 'utf8').trim().replace(/^Kafka \S+: /, '') : '?';
  console.log(`Kafka ${v}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped, ${report.numFailedTestSuites} failed suites (${time})`);
  for (const suite of report.testResults) {
    const file = suite.name.replace(/^.*\/dist\//, 'dist/');
    if (suite.assertionResults.length === 0 && suite.status === 'failed') outcomes.set(`${file} (suite)`, { ...(outcomes.get(`${file} (suite)`) ?? {}), [v]: 'failed' });
    for (const t of suite.assertionResults) {
      const name = `${file} > ${t.fullName}`;
      outcomes.set(name, { ...(outcomes.get(name) ?? {}), [v]: t.status });
    }
  }
}
const differing = [...outcomes].filter(([, byVersion]) => new Set(versions.map((v) => byVersion[v] ?? 'absent')).size > 1);
const failing = [...outcomes].filter(([, byVersion]) => versions.every((v) => byVersion[v] === 'failed'));
console.log(differing.length === 0 ? 'no test differs between versions' : `tests that differ between versions (${differing.length}):`);
for (const [name, byVersion] of differing) console.log(`  ${name}: ${versions.map((v) => `${v}=${byVersion[v] ?? 'absent'}`).join(' ')}`);
if (failing.length > 0) {
  console.log(`tests failing on every version (${failing.length}):`);
  for (const [name] of failing) console.log(`  ${name}`);
}
EOF
exit $status
