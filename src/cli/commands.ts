import type { CliCommand } from "./command.ts";
import { approveCommand, rejectCommand } from "./incident/approval-commands.ts";
import { describeCommand } from "./incident/describe-command.ts";
import { getCommand } from "./incident/get-command.ts";
import { ackCommand, assignCommand, closeCommand, resolveCommand } from "./incident/lifecycle-commands.ts";
import { watchCommand } from "./incident/watch-command.ts";
import { sendCommand } from "./send/send-command.ts";

/** Every `kubectl soar` command, in the order `kubectl soar --help` lists them. */
export const CLI_COMMANDS: readonly CliCommand[] = [
  getCommand,
  describeCommand,
  watchCommand,
  ackCommand,
  assignCommand,
  approveCommand,
  rejectCommand,
  resolveCommand,
  closeCommand,
  sendCommand,
];
