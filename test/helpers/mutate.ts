/** A small deterministic pseudo-random generator, so that the mutated inputs are the same on every run. */
export function createRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Truncations, deleted lines, swapped indentation and stray characters: the kind of damage files really have. */
export function mutate(text: string, random: () => number): string {
  const lines = text.split('\n');
  const pick = () => Math.floor(random() * lines.length);
  switch (Math.floor(random() * 5)) {
    case 0:
      return text.slice(0, Math.floor(random() * text.length));
    case 1:
      lines.splice(pick(), 1);
      return lines.join('\n');
    case 2: {
      const index = pick();
      lines[index] = ` ${lines[index]}`;
      return lines.join('\n');
    }
    case 3: {
      const at = Math.floor(random() * text.length);
      return text.slice(0, at) + ['{', '[', ':', '!', '&', '*', '"', "'", '${', '}'][Math.floor(random() * 10)] + text.slice(at);
    }
    default: {
      const index = pick();
      lines[index] = lines[index].replace(/: .*/, ': ');
      return lines.join('\n');
    }
  }
}
