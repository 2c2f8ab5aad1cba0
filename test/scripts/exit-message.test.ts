// The one mapping from errors to a command-line line and exit code (issue 22): every problem of
// server/errors.ts is exit 1 with its own message (the scripts converted HttpError back before),
// a bad command line is exit 1 pointing at --help, anything else exit 2.
import { parseArgs } from "node:util";
import { describe, expect, it } from "vitest";
import { Conflict, InputError, NotFound, TooSmallToShow } from "../../server/errors.ts";
import { exitMessage, UsageError } from "../../server/exit-message.ts";

describe("exitMessage", () => {
  it.each([
    [new InputError("expected a 5-digit ZIP code", { file: "p.csv", line: 12, column: "ZIP" })],
    [new NotFound('There is no survey "nope"')],
    [new Conflict("No patron export is imported yet")],
    [new TooSmallToShow("Fewer than 10 responses")],
  ])("ends on %s with its message and exit 1", (error) => {
    expect(exitMessage(error)).toEqual({ line: error.message, code: 1 });
  });

  it("points a usage error, ours or parseArgs's, at --help", () => {
    expect(exitMessage(new UsageError("Give exactly one FILE."))).toEqual({
      line: "Give exactly one FILE. (--help lists the options)",
      code: 1,
    });
    let unknown: unknown;
    try {
      parseArgs({ args: ["--sideways"], options: {} });
    } catch (error) {
      unknown = error;
    }
    const { line, code } = exitMessage(unknown);
    expect(code).toBe(1);
    expect(line).toMatch(/^Unknown option '--sideways'.*\(--help lists the options\)$/);
  });

  it("ends on a bug with exit 2 and the first line of its message", () => {
    expect(exitMessage(new TypeError("x is undefined\n    at f (a.ts:1:1)"))).toEqual({
      line: "x is undefined (run with DEBUG=1 for the details)",
      code: 2,
    });
  });
});
