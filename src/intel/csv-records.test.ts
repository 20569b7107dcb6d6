import { describe, expect, it } from "vitest";
import { readCsvRecords } from "./csv-records.ts";
import { MAX_LINE_LENGTH } from "./feed-bounds.ts";

function records(text: string, delimiter = ","): (readonly [number, readonly string[] | string])[] {
  const read: (readonly [number, readonly string[] | string])[] = [];
  readCsvRecords(text, delimiter.charCodeAt(0), {
    record: (line, cells) => read.push([line, cells]),
    reject: (line, reason) => read.push([line, reason]),
  });
  return read;
}

describe("readCsvRecords", () => {
  it.each<[string, string, (readonly [number, readonly string[] | string])[]]>([
    ["plain cells", "a,b,c\nd,e,f", [[1, ["a", "b", "c"]], [2, ["d", "e", "f"]]]],
    ["CRLF and a final line break", "a,b\r\nc,d\r\n", [[1, ["a", "b"]], [2, ["c", "d"]]]],
    ["empty cells", ",b,\n", [[1, ["", "b", ""]]]],
    ["a blank line is one empty cell", "a\n\nb", [[1, ["a"]], [2, [""]], [3, ["b"]]]],
    ["a quoted delimiter", '"a,b",c', [[1, ["a,b", "c"]]]],
    ["doubled quotes", '"say ""hi""",x', [[1, ['say "hi"', "x"]]]],
    ["a quoted line break keeps the line count", '"a\nb",c\nd', [[1, ["a\nb", "c"]], [3, ["d"]]]],
    ["an empty quoted cell", '"",x', [[1, ["", "x"]]]],
    ["a quote inside an unquoted cell is literal", 'a"b,c', [[1, ['a"b', "c"]]]],
    ["text after a closing quote", '"a"b,c\nd', [[1, "text follows a closing quote"], [2, ["d"]]]],
    ["a quote never closed", 'a\n"b,c\nd', [[1, ["a"]], [2, "a quoted cell is never closed"]]],
    ["a byte-order mark", "\ufeffa,b", [[1, ["a", "b"]]]],
  ])("%s", (_name, text, expected) => {
    expect(records(text)).toEqual(expected);
  });

  it("splits on another delimiter", () => {
    expect(records("a;b,c\n", ";")).toEqual([[1, ["a", "b,c"]]]);
  });

  it(`rejects a record longer than ${MAX_LINE_LENGTH} characters and reads the next`, () => {
    expect(records(`${"x,".repeat(MAX_LINE_LENGTH)}\nok`)).toEqual([[1, `the record is longer than ${MAX_LINE_LENGTH} characters`], [2, ["ok"]]]);
  });

  it("reads hostile text in one pass", () => {
    expect(records('"'.repeat(2_000_001))).toEqual([[1, "a quoted cell is never closed"]]);
    expect(records(",".repeat(2_000_000))).toHaveLength(1);
    expect(records(`"${'""'.repeat(1_000_000)}`)).toEqual([[1, "a quoted cell is never closed"]]);
  });
});
