// csv-parse's Parser, consuming each record as it is parsed: `info.lines` is then exactly the
// line the record ends on, and records are not buffered in the stream (a 1,000,000-row export
// never sits in memory). An error thrown by the consumer ends the stream with that error.
import { Parser } from "csv-parse";

export class RecordSink extends Parser {
  private failed = false;
  constructor(private readonly onRecord: (record: string[], line: number) => void) {
    super({ bom: true, relax_column_count: true, skip_empty_lines: true });
  }

  override push(record: unknown, encoding?: BufferEncoding): boolean {
    if (record === null) return super.push(null, encoding);
    if (this.failed) return false;
    try {
      this.onRecord(record as string[], this.info.lines);
    } catch (error) {
      this.failed = true;
      this.destroy(error as Error);
      return false;
    }
    return true;
  }
}
