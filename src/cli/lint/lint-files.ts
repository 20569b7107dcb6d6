import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";

/** Extensions of the files lint reads in a directory. */
const MANIFEST_EXTENSIONS: ReadonlySet<string> = new Set([".yaml", ".yml", ".json"]);

/** A file to lint: the name to report it under and its path on disk. */
export interface ManifestFile {
  /** As given, or joined under the directory given; what findings are reported against. */
  readonly name: string;
  readonly absolute: string;
}

/** The files, or the first argument that names nothing readable. */
export type ManifestFiles = { readonly ok: true; readonly files: readonly ManifestFile[] } | { readonly ok: false; readonly message: string };

async function walk(directory: ManifestFile, files: ManifestFile[]): Promise<void> {
  const entries = await readdir(directory.absolute, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    // Hidden directories (.git, .github) hold no manifests to apply.
    if (entry.name.startsWith(".")) continue;
    const next = { name: path.join(directory.name, entry.name), absolute: path.join(directory.absolute, entry.name) };
    if (entry.isDirectory()) await walk(next, files);
    else if (entry.isFile() && MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) files.push(next);
  }
}

/**
 * The files named by `args`, relative to `cwd`: a file as it is (whatever its extension), a
 * directory as every `.yaml`, `.yml` and `.json` file under it, in name order, hidden
 * directories left out. Each file appears once.
 */
export async function manifestFiles(args: readonly string[], cwd: string): Promise<ManifestFiles> {
  const files: ManifestFile[] = [];
  for (const arg of args) {
    const given = { name: arg, absolute: path.resolve(cwd, arg) };
    try {
      const info = await stat(given.absolute);
      if (info.isDirectory()) await walk(given, files);
      else files.push(given);
    } catch (error: unknown) {
      return { ok: false, message: `${arg}: ${error instanceof Error && "code" in error && error.code === "ENOENT" ? "no such file or directory" : String(error)}` };
    }
  }
  const seen = new Set<string>();
  return { ok: true, files: files.filter((file) => !seen.has(file.absolute) && seen.add(file.absolute)) };
}

/** The text of a file. */
export async function readManifest(file: ManifestFile): Promise<string> {
  return await readFile(file.absolute, "utf8");
}
