import { describe, expect, it } from "vitest";
import { CsvError, csvCell, csvLine, parseCsv } from "./csv";

describe("parseCsv", () => {
  it("reads quoted cells, doubled quotes, commas and line breaks inside quotes", () => {
    const rows = parseCsv('\uFEFFa,b,c\r\n"x, y","say ""hi""","two\nlines"\n1,,3\n');
    expect(rows).toEqual([
      { line: 1, cells: ["a", "b", "c"] },
      { line: 2, cells: ["x, y", 'say "hi"', "two\nlines"] },
      { line: 4, cells: ["1", "", "3"] },
    ]);
  });

  it("keeps a last row without a line end and an empty trailing cell", () => {
    expect(parseCsv("a,b\n1,")).toEqual([
      { line: 1, cells: ["a", "b"] },
      { line: 2, cells: ["1", ""] },
    ]);
    expect(parseCsv("")).toEqual([]);
    // One column: the last row is a single cell, with or without a line end.
    expect(parseCsv("email\nada@example.com")).toEqual([
      { line: 1, cells: ["email"] },
      { line: 2, cells: ["ada@example.com"] },
    ]);
    expect(parseCsv("email\nada@example.com\n")).toHaveLength(2);
  });

  it("reports malformed quoting with its line", () => {
    expect(() => parseCsv('a\n"open')).toThrow(CsvError);
    expect(() => parseCsv('a\nab"c')).toThrow(/Line 2: a quote inside an unquoted cell/);
    expect(() => parseCsv('a\n"open')).toThrow("Line 2: a quoted cell is never closed");
    expect(() => parseCsv('a\n"open')).toThrow(
      expect.objectContaining({ name: "CsvError", line: 2 }),
    );
  });

  it("reads a quoted cell at the very start, and LF line ends without eating the next cell", () => {
    // A lone CR (old Mac line end) ends a row too, and only an LF right after it is skipped.
    expect(parseCsv("a\rb")).toEqual([
      { line: 1, cells: ["a"] },
      { line: 2, cells: ["b"] },
    ]);
    expect(parseCsv('"x",y\nz,w')).toEqual([
      { line: 1, cells: ["x", "y"] },
      { line: 2, cells: ["z", "w"] },
    ]);
  });
});

describe("writing CSV", () => {
  it("quotes only when needed and round-trips", () => {
    const cells = ["plain", "with, comma", 'with "quote"', "multi\nline", 42, null];
    expect(parseCsv(csvLine(cells))[0]!.cells).toEqual([
      "plain",
      "with, comma",
      'with "quote"',
      "multi\nline",
      "42",
      "",
    ]);
  });

  it("neutralises text a spreadsheet would run as a formula, but not negative numbers", () => {
    expect(csvCell("=SUM(A1:A9)")).toBe("'=SUM(A1:A9)");
    expect(csvCell("@cmd")).toBe("'@cmd");
    expect(csvCell("+1 555")).toBe("'+1 555");
    expect(csvCell("-50")).toBe("-50");
    expect(csvCell(-50)).toBe("-50");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(null)).toBe("");
  });
});
