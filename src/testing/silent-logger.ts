import { pino, type Logger } from "pino";

/** A logger that writes nothing, for code under test that must be handed one. */
export const silentLogger: Logger = pino({ level: "silent" });
