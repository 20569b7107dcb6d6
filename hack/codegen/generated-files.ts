import { stringify } from "yaml";
import type { KindSchema } from "../../src/api/v1alpha1/schema/index.ts";
import { GENERATED_YAML_HEADER, crdPath, renderCrdYaml } from "./crd-manifest.ts";
import { renderApiTypes } from "./typescript-types.ts";

/** One file the generator owns, with its path relative to the repository root. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

/** Directory that holds only generated files; anything else in it is stale. */
export const CRD_DIR = "crds";

/** The Helm chart's directory, relative to the repository root. */
export const CHART_DIR = "charts/kube-soar";

/** Directory of the chart's CRDs, which holds only generated files too. */
export const CHART_CRD_DIR = `${CHART_DIR}/crds`;

/** The directories holding only generated files. */
export const GENERATED_ONLY_DIRS: readonly string[] = [CRD_DIR, CHART_CRD_DIR];

/** Path of the generated TypeScript types, relative to the repository root. */
export const TYPES_PATH = "src/api/v1alpha1/types.generated.ts";

function kustomization(resources: readonly string[], comment: string): string {
  return (
    GENERATED_YAML_HEADER +
    comment +
    stringify({ apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", resources }, { lineWidth: 0 })
  );
}

/**
 * Every file generated from `kinds`, deterministically (same kinds, same bytes): one CRD per
 * kind in `crds/`, a kustomization listing them, `config/crd/kustomization.yaml` pointing
 * at it, and the TypeScript types.
 */
export function generatedFiles(kinds: readonly KindSchema[]): GeneratedFile[] {
  const crds = kinds.map((kind) => ({ path: crdPath(kind), content: renderCrdYaml(kind) }));
  return [
    ...crds,
    {
      path: `${CRD_DIR}/kustomization.yaml`,
      content: kustomization(
        crds.map((file) => file.path.slice(CRD_DIR.length + 1)),
        "# The CustomResourceDefinitions of kube-soar.\n",
      ),
    },
    {
      path: "config/crd/kustomization.yaml",
      content: kustomization(
        [`../../${CRD_DIR}`],
        "# The CustomResourceDefinitions, from crds/ (a kustomization itself, so kustomize may load it).\n",
      ),
    },
    { path: TYPES_PATH, content: renderApiTypes(kinds) },
  ];
}
