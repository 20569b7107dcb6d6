// @ts-check
import { readdirSync } from "node:fs";
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The import direction of src/, bottom layer first (docs/design-notes.md, "Layout (§7)"): a
// production file may import its own folder and folders of lower layers only, so folders of one
// layer (ingest and reconcilers among them) never import each other. Test files are exempt;
// src/testing is test support that no production file may import.
const LAYERS = [
  ["api", "collections", "redaction"],
  ["runtime", "observability", "expr", "intel"],
  ["playbook", "policy", "actions", "suppression"],
  ["config", "connectors"],
  ["steps"],
  ["ingest", "reconcilers"],
  ["main", "cli"],
];
const TESTS = ["src/**/*.test.ts", "src/testing/**"];

// A folder of src/ missing from LAYERS would escape the rule: refuse to lint until it has a layer.
const unlayered = readdirSync(new URL("./src", import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== "testing" && !LAYERS.flat().includes(entry.name))
  .map((entry) => `src/${entry.name}`);
if (unlayered.length > 0) throw new Error(`eslint.config.js: give ${unlayered.join(", ")} a layer in LAYERS`);

/**
 * A `no-restricted-imports` pattern refusing relative imports of the top-level `folders` of src/,
 * written from a file in a folder of src/ (`../` up to src/) or, with `atRoot`, from src/ itself.
 */
function refuse(folders, message, atRoot = false) {
  return { regex: `^${atRoot ? "\\./" : "(\\.\\./)+"}(${folders.join("|")})(/|\\.ts$)`, message };
}

const TEST_SUPPORT_MESSAGE = "src/testing is test support: production code must not import it.";

/** Whether `name` is a module at the top of src/ rather than a folder. */
const atRoot = (name) => name === "main";

const layerRules = LAYERS.flatMap((layer, index) =>
  layer.map((folder) => {
    const above = LAYERS.slice(index).flat().filter((other) => other !== folder);
    const below = LAYERS.slice(0, index).flat();
    const root = atRoot(folder);
    return {
      files: [root ? `src/${folder}.ts` : `src/${folder}/**/*.ts`],
      ignores: TESTS,
      rules: {
        "no-restricted-imports": ["error", {
          patterns: [
            refuse(["testing"], TEST_SUPPORT_MESSAGE, root),
            ...(above.length === 0 ? [] : [refuse(above, `${folder} may import only ${below.length === 0 ? "itself" : below.join(", ")} (docs/design-notes.md, "Layout (§7)").`, root)]),
          ],
        }],
      },
    };
  }),
);

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", "eslint.config.js"] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": ["error", { allow: ["error"] }],
    },
  },
  {
    files: ["hack/**/*.ts", "bench/**/*.ts", "test/**/*.ts"],
    rules: { "no-console": "off" },
  },
  { files: ["src/*/**/*.ts"], ignores: TESTS, rules: { "no-restricted-imports": ["error", { patterns: [refuse(["testing"], TEST_SUPPORT_MESSAGE)] }] } },
  { files: ["src/*.ts"], ignores: TESTS, rules: { "no-restricted-imports": ["error", { patterns: [refuse(["testing"], TEST_SUPPORT_MESSAGE, true)] }] } },
  ...layerRules,
);
