import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runCommand } from "./run-command.ts";

/** The root of the kube-soar checkout this harness belongs to. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The environment variable that names a directory holding the binaries, skipping the build. */
export const BIN_DIR_ENV = "KUBE_SOAR_BIN_DIR";

/** Names of the executables the harness and the integration tests run, as `hack/build-tools.sh` names them. */
export type BinaryName =
  | "alertmanager"
  | "cloudevents-send"
  | "dockerfile-lint"
  | "etcd"
  | "helm"
  | "kube-apiserver"
  | "kube-controller-manager"
  | "kube-scheduler"
  | "kubectl"
  | "kwok"
  | "nats-server"
  | "promql-metrics"
  | "promtool";

/** Where {@link locateBinDir} looks. */
export interface LocateBinDirOptions {
  /** The caller's environment: `KUBE_SOAR_BIN_DIR` wins; the rest is passed to the build. */
  env?: Readonly<Record<string, string | undefined>>;
  repoRoot?: string;
}

/**
 * The directory holding the control-plane and NATS binaries: `KUBE_SOAR_BIN_DIR` when set,
 * otherwise the last stdout line of `hack/build-tools.sh`, which builds what is missing
 * (its progress is shown on stderr). Rejects with the script's error when the build fails.
 */
export async function locateBinDir(options: LocateBinDirOptions = {}): Promise<string> {
  const override = options.env?.[BIN_DIR_ENV];
  if (override !== undefined && override !== "") return resolve(override);
  const script = join(options.repoRoot ?? REPO_ROOT, "hack", "build-tools.sh");
  const stdout = await runCommand("bash", [script], {
    inheritStderr: true,
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  const binDir = lastLine(stdout);
  if (binDir === undefined) throw new Error(`binaries: ${script} printed no bin directory`);
  return binDir;
}

/**
 * The absolute path of an executable in `binDir`. Rejects with an error naming the binary,
 * the directory and the two ways to provide it when it is missing or not executable.
 */
export async function binaryPath(binDir: string, name: BinaryName): Promise<string> {
  const path = join(binDir, name);
  try {
    await access(path, constants.X_OK);
  } catch (error: unknown) {
    throw new Error(
      `binaries: ${name} is missing or not executable in ${binDir}; run hack/build-tools.sh ` +
        `or set ${BIN_DIR_ENV} to a directory that holds it`,
      { cause: error },
    );
  }
  return path;
}

/** The last non-blank line of `text`, trimmed, or undefined when there is none. */
export function lastLine(text: string): string | undefined {
  const lines = text.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  return lines.at(-1);
}
