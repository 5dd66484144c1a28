/** Where progress goes (stderr): a terminal gets one line rewritten in place, a log gets a line now and then. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressReporter {
  /** The latest status; shown at once on a terminal, in a log at most once per interval. */
  update(line: string): void;
  /** Ends the progress: a log gets the last status if it has not had it yet. */
  end(): void;
}

/**
 * `\r` only on a terminal: in a CI log every carriage return is a fragment of a line. The
 * clock is the CLI's real one (passed in, so a test can drive it).
 */
export function progressReporter(stream: ProgressStream, now: () => number, intervalMs = 5000): ProgressReporter {
  if (stream.isTTY === true) {
    let shown = false;
    return {
      update(line) {
        stream.write(`\r${line}\x1b[K`);
        shown = true;
      },
      end() {
        if (shown) stream.write('\n');
        shown = false;
      },
    };
  }
  let lastWrite: number | null = null;
  let pending: string | null = null;
  return {
    update(line) {
      const t = now();
      if (lastWrite === null || t - lastWrite >= intervalMs) {
        stream.write(`${line}\n`);
        lastWrite = t;
        pending = null;
      } else {
        pending = line;
      }
    },
    end() {
      if (pending !== null) stream.write(`${pending}\n`);
      pending = null;
    },
  };
}
