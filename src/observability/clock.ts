/** A source of the current time, injected so that decisions can be tested at fixed instants. */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };
