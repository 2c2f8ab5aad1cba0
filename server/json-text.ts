// Reading JSON files people write by hand (survey definitions, patron mappings, Census API
// responses): a syntax error names the file, line and column, which JSON.parse does not.
import { type ParseError, parse as parseJsonc, printParseErrorCode } from "jsonc-parser";
import { InputError } from "./errors.ts";

/** Parses strict JSON (no comments, no trailing commas); an error names file, line and column. */
export function parseJsonText(text: string, file: string): unknown {
  const errors: ParseError[] = [];
  const value = parseJsonc(text, errors, { allowTrailingComma: false, disallowComments: true });
  const first = errors[0];
  if (first) {
    const before = text.slice(0, first.offset);
    const line = before.split("\n").length;
    const column = first.offset - before.lastIndexOf("\n");
    throw new InputError(`not valid JSON: ${printParseErrorCode(first.error)}`, {
      file,
      line,
      column,
    });
  }
  return value;
}
