/**
 * An optional chime for new critical alerts, made with WebAudio (no sound file to ship). Off by
 * default; the choice is remembered. Browsers only let a page play sound after the user did
 * something on it, so the context is created by the click that turns sound on.
 */
const STORED = 'roomwatch.sound';
let context: AudioContext | undefined;

export function soundOn(): boolean {
  return localStorage.getItem(STORED) === 'on';
}

export function setSound(on: boolean): void {
  localStorage.setItem(STORED, on ? 'on' : 'off');
  if (on) {
    context ??= new AudioContext();
    void context.resume();
  }
}

/** Two short falling tones. */
export function chime(): void {
  if (!soundOn()) return;
  context ??= new AudioContext();
  const start = context.currentTime;
  for (const [i, frequency] of [880, 660].entries()) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.2, start + i * 0.25);
    gain.gain.exponentialRampToValueAtTime(0.001, start + i * 0.25 + 0.22);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start + i * 0.25);
    oscillator.stop(start + i * 0.25 + 0.23);
  }
}
