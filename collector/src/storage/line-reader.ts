// Lines of a file, pulled one at a time and read in 4 MB chunks (spool segments can be hundreds of MB).
// A last line without its newline is still returned: for a spool segment it is a torn write (a
// crash mid-append, never acknowledged), which the caller's parser rejects.
import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK = 4 * 1024 * 1024;

export class LineReader {
  private fd: number | undefined;
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  private carry = Buffer.alloc(0);
  private text = '';
  private start = 0;
  /** The line last returned had no newline after it: the file's torn tail. */
  unterminated = false;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
  }

  /** The next non-empty line, or undefined at the end (the file is closed then). */
  next(): string | undefined {
    for (;;) {
      const nl = this.text.indexOf('\n', this.start);
      if (nl >= 0) {
        const line = this.text.slice(this.start, nl);
        this.start = nl + 1;
        if (line.length > 0) { this.unterminated = false; return line; }
        continue;
      }
      const rest = this.text.slice(this.start);
      this.text = '';
      this.start = 0;
      if (rest.length > 0) { this.unterminated = true; return rest; }
      if (!this.fill()) return undefined;
    }
  }

  /** Reads the next chunk's whole lines into `text`; false at the end of the file. */
  private fill(): boolean {
    while (this.fd !== undefined) {
      const n = readSync(this.fd, this.buf, 0, CHUNK, null);
      if (n === 0) {
        this.close();
        if (this.carry.length === 0) return false;
        this.text = this.carry.toString('utf8');
        this.carry = Buffer.alloc(0);
        return true;
      }
      const data = this.carry.length > 0 ? Buffer.concat([this.carry, this.buf.subarray(0, n)]) : this.buf.subarray(0, n);
      const last = data.lastIndexOf(0x0a);
      if (last < 0) { this.carry = Buffer.from(data); continue; }
      this.text = data.toString('utf8', 0, last + 1);
      this.carry = Buffer.from(data.subarray(last + 1));
      return true;
    }
    return false;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
