import { copyFile, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { REPO_ROOT } from "../../hack/harness/binaries.ts";
import { runCommand } from "../../hack/harness/run-command.ts";

/** The image's Dockerfile, at the root of the checkout. */
export const DOCKERFILE = join(REPO_ROOT, "Dockerfile");

/** Where the runtime stage runs the operator from: `node dist/main.js` in this directory. */
export const ENTRY_POINT = join("dist", "main.js");

/**
 * The arguments of the Dockerfile's production install, `RUN ["npm", "ci", "--omit=dev", ...]`
 * in exec form, so that the layout is installed exactly as the image is. Throws when the
 * Dockerfile has no such instruction.
 */
export function productionInstallArgs(dockerfile: string): string[] {
  const match = /^RUN (\["npm", "ci",[^\n]*"--omit=dev"[^\n]*\])$/m.exec(dockerfile);
  if (match?.[1] === undefined) throw new Error(`${DOCKERFILE}: no RUN ["npm", "ci", ..., "--omit=dev", ...] instruction`);
  const args: unknown = JSON.parse(match[1]);
  if (!Array.isArray(args) || !args.every((arg): arg is string => typeof arg === "string")) {
    throw new Error(`${DOCKERFILE}: the production install is not a JSON array of strings: ${match[1]}`);
  }
  return args;
}

/**
 * Reproduces in `dir` (which must not exist yet) what the runtime stage of the Dockerfile
 * holds in its working directory: `package.json`, the production dependencies installed by
 * the Dockerfile's own `npm ci --omit=dev` command (from the npm registry or npm's cache),
 * and `dist/` compiled by `npm run build`; then takes every write permission away from it.
 */
export async function buildImageLayout(dir: string): Promise<void> {
  await runCommand("npm", ["run", "build", "--prefix", REPO_ROOT, "--", "--outDir", join(dir, "dist")]);
  await copyFile(join(REPO_ROOT, "package.json"), join(dir, "package.json"));
  await copyFile(join(REPO_ROOT, "package-lock.json"), join(dir, "package-lock.json"));
  const [command, ...args] = productionInstallArgs(await readFile(DOCKERFILE, "utf8"));
  await runCommand(command ?? "npm", [...args, "--prefix", dir]);
  // The runtime stage copies package.json and node_modules/, not the lock file.
  await rm(join(dir, "package-lock.json"));
  await runCommand("chmod", ["-R", "a-w", dir]);
}

/** Removes a directory {@link buildImageLayout} made read-only (with whatever surrounds it). */
export async function removeReadOnlyTree(dir: string): Promise<void> {
  await runCommand("chmod", ["-R", "u+w", dir]).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}
