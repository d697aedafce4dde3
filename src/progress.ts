/** A one-line progress indicator on a terminal's stderr; silent when stderr is not a terminal (CI, pipes, tests). */
export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, enabled: boolean) {
  const active = enabled && stream.isTTY === true && !process.env.CI;
  let shown = false;
  let last = 0;
  return {
    update(stage: string, done: number, total: number): void {
      if (!active) return;
      const now = Date.now();
      if (now - last < 80 && done < total) return;
      last = now;
      shown = true;
      stream.write(`\r\x1b[2K${stage} ${total > 1 ? `${done}/${total}` : '…'}`);
    },
    done(): void {
      if (active && shown) stream.write('\r\x1b[2K');
    },
  };
}
