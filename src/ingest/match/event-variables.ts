import { prepareVariables, type PreparedVariables } from "../../expr/index.ts";

/**
 * The `event` of one alert, converted for CEL at most once and only when some expression needs
 * it: Playbook triggers and dedup keys and suppressions' `match` share the conversion.
 */
export class EventVariables {
  readonly event: unknown;
  #prepared: PreparedVariables | null | undefined;

  constructor(event: unknown) {
    this.event = event;
  }

  /** Whether the conversion has run (a caller that paces its work takes a turn only for the first). */
  get isPrepared(): boolean {
    return this.#prepared !== undefined;
  }

  /** `{ event }` as CEL values, converted on the first call; undefined when CEL cannot represent the event. */
  prepared(): PreparedVariables | undefined {
    if (this.#prepared === undefined) {
      const result = prepareVariables({ event: this.event });
      this.#prepared = result.ok ? result.value : null;
    }
    return this.#prepared ?? undefined;
  }
}
