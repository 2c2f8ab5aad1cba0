// The one progress bar of the command-line tools (issue 22: three separate cli-progress set-ups
// before): drawn only on a terminal, in the unit the tool counts in.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { type ProgressUnit, progressBar } from "../../server/imports/cli.ts";

/** A stream that records what is written; `tty` makes it look like a terminal to cli-progress. */
function screen(tty: boolean) {
  const stream = new PassThrough() as PassThrough & Record<string, unknown>;
  let text = "";
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  if (tty) {
    Object.assign(stream, {
      isTTY: true,
      columns: 200,
      cursorTo: (_x: number, _y?: number, done?: () => void) => done?.() ?? true,
      moveCursor: (_dx: number, _dy: number, done?: () => void) => done?.() ?? true,
      clearLine: (_dir: number, done?: () => void) => done?.() ?? true,
      clearScreenDown: (done?: () => void) => done?.() ?? true,
    });
  }
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

describe("progressBar", () => {
  it("writes nothing when standard error is not a terminal", () => {
    const { stream, text } = screen(false);
    const bar = progressBar("Reading patrons", "bytes", stream);
    bar.update(5e6, 10e6);
    bar.stop();
    expect(text()).toBe("");
  });

  it.each<[ProgressUnit, number, number, string | undefined, RegExp]>([
    ["bytes", 5e6, 10e6, undefined, /Reading \|.*\| 50% \| 5\.0 of 10\.0 MB/],
    ["responses", 1200, 2400, undefined, /Reading \|.*\| 50% \| 1,200 of 2,400 responses/],
    ["steps", 80, 100, "analysing", /Reading \|.*\| 80% \| analysing/],
  ])("on a terminal, counts %s", (unit, done, total, step, shown) => {
    const { stream, text } = screen(true);
    const bar = progressBar("Reading", unit, stream);
    bar.update(done, total, step);
    bar.stop();
    expect(text()).toMatch(shown);
  });
});
