import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { missingNodeOptions, OPERATOR_NODE_OPTIONS } from "./node-runtime-options.ts";

describe("missingNodeOptions", () => {
  it("names the operator's options a Node process was started without", () => {
    expect(missingNodeOptions([])).toEqual(OPERATOR_NODE_OPTIONS);
    expect(missingNodeOptions(["--inspect"])).toEqual(OPERATOR_NODE_OPTIONS);
  });

  it("is empty when every option is there, whatever else is", () => {
    expect(missingNodeOptions(["--cpu-prof", ...OPERATOR_NODE_OPTIONS])).toEqual([]);
  });
});

describe("the image's entry point", () => {
  it("runs the operator with its Node options", async () => {
    const dockerfile = await readFile(new URL("../../Dockerfile", import.meta.url), "utf8");
    const entryPoint = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(entryPoint).toBeDefined();
    expect(JSON.parse(entryPoint ?? "null")).toEqual(["/nodejs/bin/node", ...OPERATOR_NODE_OPTIONS, "dist/main.js"]);
  });
});
