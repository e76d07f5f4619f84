// A progress line on stderr for long imports: percent of input bytes, events, rate. Redrawn in
// place on a terminal, printed every few seconds otherwise (CI logs, pipes).
export interface Progress { update(bytesDone: number, events: number, bad: number): void; done(): void }

export function progressBar(totalBytes: number, out: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  let last = 0;
  let state = { bytes: 0, events: 0, bad: 0 };
  const tty = out.isTTY === true;
  const render = () => {
    const pct = totalBytes > 0 ? Math.min(1, state.bytes / totalBytes) : 0;
    const width = 30;
    const filled = Math.round(pct * width);
    const secs = Math.max(0.001, (Date.now() - started) / 1000);
    const rate = Math.round(state.events / secs).toLocaleString('en-US');
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(pct * 100).toFixed(1).padStart(5)}%  ` +
      `${state.events.toLocaleString('en-US')} events, ${state.bad.toLocaleString('en-US')} bad, ${rate} events/s`;
  };
  return {
    update(bytes, events, bad) {
      state = { bytes, events, bad };
      const now = Date.now();
      if (now - last < (tty ? 200 : 5000)) return;
      last = now;
      out.write(tty ? `\r${render()}` : `${render()}\n`);
    },
    done() { out.write(tty ? `\r${render()}\n` : `${render()}\n`); },
  };
}
