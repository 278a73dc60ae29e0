/** One labelled figure a part keeps: its label values and its running total. */
export interface Figure<Label extends string> {
  labels: Readonly<Record<Label, string>>;
  value: number;
}

/**
 * Totals a part already counts (points written, traps received, rule evaluations), read at scrape
 * time instead of counted twice. A configuration reload replaces the part and its figures start
 * again at 0; `follow` keeps what the old part had counted as a base, so the exported counter
 * never goes down (Prometheus would take a drop for a restart and misread rate()).
 */
export class CarriedTotals<Label extends string> {
  readonly #base = new Map<string, Figure<Label>>();
  #read: () => Iterable<Figure<Label>> = () => [];

  /** From now on the figures come from `read`; the previous source's last figures are kept. */
  follow(read: () => Iterable<Figure<Label>>): void {
    for (const figure of this.#read()) add(this.#base, figure);
    this.#read = read;
  }

  /** The totals across every source followed so far, one per label set. */
  totals(): Figure<Label>[] {
    const sum = new Map<string, Figure<Label>>();
    for (const figure of this.#base.values()) add(sum, figure);
    for (const figure of this.#read()) add(sum, figure);
    return [...sum.values()];
  }
}

function add<Label extends string>(into: Map<string, Figure<Label>>, figure: Figure<Label>): void {
  const key = JSON.stringify(Object.entries(figure.labels).sort(([a], [b]) => (a < b ? -1 : 1)));
  const held = into.get(key);
  if (held) held.value += figure.value;
  else into.set(key, { labels: figure.labels, value: figure.value });
}
