// Lints Cypher statements with Neo4j's own Cypher front end (@neo4j-cypher/language-support).
//
// Input on stdin, JSON, either
//   ["MATCH (n) RETURN n", ...]
// or
//   {"statements": ["MATCH (n) RETURN n", ...], "schema": {"labels": [...], ...}}
// where "schema" is a DbSchema of the package (labels, relationshipTypes, procedures...):
// when labels and relationship types are given, any other label or type is reported.
//
// Output on stdout, JSON: one entry per statement, in input order,
//   {"index": 0, "diagnostics": [{"severity": 1, "message": "...", "start": 9, "end": 15}]}
// Severity follows the Language Server Protocol: 1 error, 2 warning, 3 information, 4 hint.
// Exit status: 0 when linting ran (whatever it found), 2 when the input is unusable.

import { lintCypherQuery } from '@neo4j-cypher/language-support';

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (chunk) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

function parseInput(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`stdin is not JSON: ${error.message}`);
  }
  const statements = Array.isArray(data) ? data : data?.statements;
  const schema = Array.isArray(data) ? {} : (data?.schema ?? {});
  if (!Array.isArray(statements) || !statements.every((s) => typeof s === 'string')) {
    throw new Error('expected a JSON list of statements or {"statements": [...], "schema": {...}}');
  }
  return { statements, schema };
}

function lint(statement, schema) {
  const { diagnostics } = lintCypherQuery(statement, schema);
  return diagnostics.map((d) => ({
    severity: d.severity,
    message: d.message,
    start: d.offsets?.start ?? null,
    end: d.offsets?.end ?? null,
  }));
}

try {
  const { statements, schema } = parseInput(await readStdin());
  const report = statements.map((statement, index) => ({
    index,
    diagnostics: lint(statement, schema),
  }));
  process.stdout.write(JSON.stringify(report) + '\n');
} catch (error) {
  process.stderr.write(`cypher_lint: ${error.message}\n`);
  process.exit(2);
}
