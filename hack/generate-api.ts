// Generates the CRDs, their kustomizations and the TypeScript types of soar.kube-soar.io/v1alpha1
// from the schema in src/api/v1alpha1/schema/, the one source of truth, and the generated parts of
// the Helm chart (its CRDs, values from the operator's flags, roles from config/rbac/ and config/admission/, the admission policies).
//
//   node hack/generate-api.ts                 write the generated files      (npm run generate)
//   node hack/generate-api.ts --check         exit 1 when a generated file drifted (npm run verify:generated)
//   node hack/generate-api.ts --root <dir>    operate on another tree (tests)
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { KINDS } from "../src/api/v1alpha1/schema/index.ts";
import { chartFiles } from "./codegen/chart-files.ts";
import { describeDrift, findDrift, writeGenerated } from "./codegen/drift.ts";
import { generatedFiles } from "./codegen/generated-files.ts";

const usage = "usage: node hack/generate-api.ts [--check] [--root <dir>]";

async function main(argv: readonly string[]): Promise<number> {
  let options: { check: boolean; root: string };
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { check: { type: "boolean", default: false }, root: { type: "string" } },
      strict: true,
      allowPositionals: false,
    });
    options = {
      check: values.check,
      root: path.resolve(values.root ?? fileURLToPath(new URL("..", import.meta.url))),
    };
  } catch (error: unknown) {
    console.error(error instanceof Error ? error.message : String(error));
    console.error(usage);
    return 2;
  }

  // The chart's sources (values.yaml, README.md, config/rbac/) are read from this checkout.
  const files = [...generatedFiles(KINDS), ...(await chartFiles(fileURLToPath(new URL("..", import.meta.url)), KINDS))];
  if (options.check) {
    const drift = await findDrift(options.root, files);
    if (drift.length === 0) {
      console.log(`generated files are up to date (${files.length} files)`);
      return 0;
    }
    console.error("generated files drifted from their sources (src/api/v1alpha1/schema/, src/config/flags.ts, config/rbac/, config/admission/):");
    for (const entry of drift) console.error(`  ${describeDrift(entry)}`);
    console.error("Fix: run `npm run generate` and commit the result.");
    return 1;
  }

  const changed = await writeGenerated(options.root, files);
  for (const file of changed) console.log(`updated ${file}`);
  console.log(changed.length === 0 ? "generated files were up to date" : `updated ${changed.length} files`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
