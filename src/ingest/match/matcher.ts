import type { Logger } from "pino";
import { Plural } from "../../api/v1alpha1/constants.ts";
import { watchedPaths } from "../watched-paths.ts";
import type { Playbook } from "../../api/v1alpha1/types.generated.ts";
import type { PlaybookCompiler } from "../../playbook/index.ts";
import type { RuntimeClock } from "../../runtime/clock.ts";
import type { SharedInformer } from "../../runtime/informer.ts";
import { InformerFactory } from "../../runtime/informer-factory.ts";
import type { KubeHttpClient } from "../../runtime/kube-http.ts";
import { PlaybookIndex, type MatchInput, type PlaybookMatch } from "./matcher-index.ts";

/** Options of {@link PlaybookMatcher}. */
export interface PlaybookMatcherOptions {
  client: KubeHttpClient;
  compiler: PlaybookCompiler;
  clock: RuntimeClock;
  logger: Logger;
  /** The operator's own namespace: its Playbooks see every alert, others only alerts about their namespace. */
  operatorNamespace: string;
  /** Namespaces whose Playbooks are watched; empty watches all namespaces. */
  watchNamespaces: readonly string[];
}

/** The collection paths of Playbooks to watch: one cluster-wide path, or one per namespace. */
export function playbookPaths(watchNamespaces: readonly string[]): string[] {
  return watchedPaths(Plural.Playbook, watchNamespaces);
}

function keyOf(playbook: Playbook): string {
  return `${playbook.metadata.namespace ?? ""}/${playbook.metadata.name ?? ""}`;
}

/**
 * Matches events to Playbooks from an informer cache of every watched namespace: the index is
 * updated on each add, update and delete, so matching never lists or scans all Playbooks.
 */
export class PlaybookMatcher {
  readonly #informers: SharedInformer<Playbook>[];
  readonly #factory: InformerFactory;
  readonly #index: PlaybookIndex;

  constructor(options: PlaybookMatcherOptions) {
    this.#index = new PlaybookIndex(options.compiler, options.operatorNamespace);
    this.#factory = new InformerFactory({ client: options.client, clock: options.clock, logger: options.logger });
    this.#informers = playbookPaths(options.watchNamespaces).map((path) =>
      this.#factory.informerFor<Playbook>({ path, resource: "playbooks" }),
    );
    for (const informer of this.#informers) {
      informer.addEventHandler({
        onAdd: (playbook) => {
          this.#index.upsert(playbook);
        },
        onUpdate: (previous, playbook) => {
          if (previous !== playbook) this.#index.upsert(playbook);
        },
        onDelete: (playbook) => {
          this.#index.remove(keyOf(playbook));
        },
      });
    }
  }

  /** Starts the informers; they run until `signal` aborts. */
  start(signal: AbortSignal): void {
    this.#factory.start(signal);
  }

  /** True once every informer has listed its Playbooks. */
  hasSynced(): boolean {
    return this.#informers.every((informer) => informer.hasSynced());
  }

  /** Resolves `true` once synced, `false` when `signal` aborts first. */
  waitForSync(signal: AbortSignal): Promise<boolean> {
    return this.#factory.waitForSync(signal);
  }

  /** Resolves when the informers have stopped after their signal aborted. */
  stopped(): Promise<void> {
    return this.#factory.stopped();
  }

  /** Playbooks taking part in matching now. */
  get size(): number {
    return this.#index.size;
  }

  /** The Playbooks whose trigger matches the event (see {@link PlaybookIndex.match}). */
  match(input: MatchInput): PlaybookMatch[] {
    return this.#index.match(input);
  }

  /** {@link match} in steps (see {@link PlaybookIndex.matchSteps}). */
  matchSteps(input: MatchInput): Generator<void, PlaybookMatch[], void> {
    return this.#index.matchSteps(input);
  }
}
