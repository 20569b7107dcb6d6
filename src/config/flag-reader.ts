import { parseDuration } from "../api/duration.ts";
import { envNameOf, settings, type Flag, type Setting } from "./flags.ts";

/** A configuration value that cannot be used; the message names the flag and its variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/**
 * Reads one flag's value from the command-line flags, then its `KUBE_SOAR_*` variable (an empty
 * one counts as unset), then its default, as the type the caller asks for. Throws ConfigError
 * naming the flag (or the variable that set it) when the value is unusable.
 */
export class FlagReader {
  private readonly flags: Record<string, string | undefined>;
  private readonly env: Readonly<Record<string, string | undefined>>;

  constructor(flags: Record<string, string | undefined>, env: Readonly<Record<string, string | undefined>>) {
    this.flags = flags;
    this.env = env;
  }

  private raw(flag: Flag): { value: string | undefined; origin: string } {
    const fromFlag = this.flags[flag];
    if (fromFlag !== undefined) return { value: fromFlag, origin: `--${flag}` };
    const variable = envNameOf(flag);
    const fromEnv = this.env[variable];
    if (fromEnv !== undefined && fromEnv !== "") return { value: fromEnv, origin: variable };
    const setting: Setting = settings[flag];
    return { value: setting.default, origin: `--${flag}` };
  }

  optional(flag: Flag): string | undefined {
    const { value, origin } = this.raw(flag);
    const setting: Setting = settings[flag];
    if (value !== undefined && setting.choices !== undefined && !setting.choices.includes(value)) {
      throw new ConfigError(`${origin}: ${JSON.stringify(value)} is not one of ${setting.choices.join(", ")}`);
    }
    return value === "" ? undefined : value;
  }

  string(flag: Flag): string {
    const value = this.optional(flag);
    if (value === undefined) throw new ConfigError(`--${flag} (${envNameOf(flag)}) is required`);
    return value;
  }

  list(flag: Flag): string[] {
    const value = this.optional(flag) ?? "";
    return value.split(",").map((item) => item.trim()).filter((item) => item !== "");
  }

  int(flag: Flag, min: number, max: number): number {
    const { value, origin } = this.raw(flag);
    const parsed = Number(value);
    if (value === undefined || !Number.isInteger(parsed) || parsed < min || parsed > max) {
      throw new ConfigError(`${origin}: ${JSON.stringify(value)} must be a whole number from ${min} to ${max}`);
    }
    return parsed;
  }

  duration(flag: Flag): number {
    const { value, origin } = this.raw(flag);
    const parsed = value === undefined ? undefined : parseDuration(value);
    if (parsed === undefined) throw new ConfigError(`${origin}: ${JSON.stringify(value)} is not a duration such as 500ms, 30s, 5m or 1h`);
    return parsed;
  }

  durations(flag: Flag): number[] {
    const { origin } = this.raw(flag);
    return this.list(flag).map((item) => {
      const parsed = parseDuration(item);
      if (parsed === undefined) throw new ConfigError(`${origin}: ${JSON.stringify(item)} is not a duration such as 500ms, 30s, 5m or 1h`);
      return parsed;
    });
  }

  bool(flag: Flag): boolean {
    const { value, origin } = this.raw(flag);
    if (value === "true") return true;
    if (value === "false") return false;
    throw new ConfigError(`${origin}: ${JSON.stringify(value)} must be true or false`);
  }

  hostPort(flag: Flag): { host: string; port: number } {
    const { origin } = this.raw(flag);
    const value = this.string(flag);
    const match = /^(.*):(\d{1,5})$/.exec(value);
    const port = Number(match?.[2]);
    if (match === null || port > 65_535) throw new ConfigError(`${origin}: ${JSON.stringify(value)} must be host:port`);
    return { host: (match[1] ?? "").replace(/^\[(.*)\]$/, "$1") || "0.0.0.0", port };
  }
}
