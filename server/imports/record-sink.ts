// csv-parse's Parser, consuming each record as it is parsed: `info.lines` is then exactly the
// line the record ends on, and records are not buffered in the stream (a 1,000,000-row export
// never sits in memory). It reads the decoded stream of table-file.ts with that file's options,
// and its failures (a parse error, or an error thrown by the consumer) end the stream as an
// InputError naming the line, column and field.
import { Parser } from "csv-parse";
import { checkHeader, csvOptions, readError, type TableFormat } from "./table-file.ts";

export class RecordSink extends Parser {
  private failed = false;
  /** The header: given (a later part of a file), or the first record read. */
  private header: string[] | undefined;

  constructor(
    private readonly source: { file: string; format: TableFormat; header?: string[] },
    private readonly onRecord: (record: string[], line: number) => void,
  ) {
    super(csvOptions(source.format));
    this.header = source.header;
  }

  override push(record: unknown, encoding?: BufferEncoding): boolean {
    if (record === null) return super.push(null, encoding);
    if (this.failed) return false;
    try {
      if (!this.header)
        this.header = checkHeader(
          record as string[],
          this.source.file,
          this.source.format.delimiter,
        );
      this.onRecord(record as string[], this.info.lines);
    } catch (error) {
      this.failed = true;
      this.destroy(this.explain(error));
      return false;
    }
    return true;
  }

  override _transform(
    chunk: Buffer,
    encoding: BufferEncoding,
    done: (error?: Error | null) => void,
  ): void {
    super._transform(chunk, encoding, (error?: Error | null) =>
      done(error ? this.explain(error) : error),
    );
  }

  override _flush(done: (error?: Error | null) => void): void {
    super._flush((error?: Error | null) => done(error ? this.explain(error) : error));
  }

  private explain(error: unknown): Error {
    const { file, format } = this.source;
    return readError(error, { file, header: this.header, format, parser: this });
  }
}
