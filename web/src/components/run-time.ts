/**
 * How long a run took and when it ended, as the cell shows it beside its prompt ("1.2 s", "14:03"), in the
 * browser's language and time zone. Pure, so tests pass the clock and the locale.
 */

/**
 * `45 ms`, `1.2 s`, `12 s`, `2 min 5 s`, `1 h 3 min`. `ticking` (a run still going, redrawn every tenth of a
 * second) keeps one decimal up to a minute, so the number visibly moves.
 */
export function formatDuration(ms: number, options: { ticking?: boolean } = {}): string {
  const safe = Math.max(0, ms);
  if (safe < 999.5 && !options.ticking) return `${Math.round(safe)} ms`;
  const seconds = safe / 1000;
  // A running clock rounds down (it never shows a tenth that hasn't passed); a finished run to the nearest.
  if (options.ticking && seconds < 60) return `${(Math.floor(seconds * 10) / 10).toFixed(1)} s`;
  if (seconds < 9.95) return `${seconds.toFixed(1)} s`;
  const whole = options.ticking ? Math.floor(seconds) : Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${whole % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** When a run ended: the time of day if it was today, else the date. */
export function formatEnd(endedAt: number, now: number = Date.now(), locale?: string): string {
  const end = new Date(endedAt);
  const today = new Date(now);
  const isToday = end.getFullYear() === today.getFullYear() && end.getMonth() === today.getMonth() && end.getDate() === today.getDate();
  if (isToday) return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(end);
  const sameYear = end.getFullYear() === today.getFullYear();
  return new Intl.DateTimeFormat(locale, sameYear ? { day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short', year: 'numeric' }).format(end);
}

/** The tooltip: the whole date and time, and the duration to the millisecond. */
export function describeRun(span: { startedAt: number; endedAt: number; failed: boolean }, locale?: string): string {
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(span.endedAt));
  const took = `${((span.endedAt - span.startedAt) / 1000).toFixed(3)} s`;
  return span.failed ? `Last run ended without a reply ${when}, after ${took}` : `Last run finished ${when}, took ${took}`;
}
