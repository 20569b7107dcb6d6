/**
 * A budget of cost units for one evaluation. Evaluation is synchronous, so one meter per
 * environment serves every program planned in it: each evaluation starts it afresh.
 */
export class CostMeter {
  #limit = 0;
  #spent = 0;

  /** Resets the meter to a full budget of `limit` units. */
  start(limit: number): void {
    this.#limit = limit;
    this.#spent = 0;
  }

  /** Spends `units`; returns false once the spending has gone past the limit. */
  charge(units: number): boolean {
    this.#spent += units;
    return this.#spent <= this.#limit;
  }

  /** Whether the evaluation spent more than its budget. */
  get exceeded(): boolean {
    return this.#spent > this.#limit;
  }

  /** Units spent since the last start. */
  get spent(): number {
    return this.#spent;
  }
}
