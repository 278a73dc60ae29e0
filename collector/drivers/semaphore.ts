/** Bounds how many async jobs run at once; the rest wait in arrival order. */
export class Semaphore {
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(readonly limit: number) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.#active >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#active++;
    try {
      return await job();
    } finally {
      this.#active--;
      this.#waiting.shift()?.();
    }
  }
}
