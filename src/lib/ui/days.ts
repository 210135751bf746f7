const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

/** The local calendar day of a timestamp, as a comparable key. */
export function dayKey(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/** "Today", "Yesterday" or the full date; a bad timestamp gets an empty label, not a throw. */
export function dayLabel(ts: number, now: number = Date.now()): string {
  if (!Number.isFinite(ts) || Number.isNaN(new Date(ts).getTime())) return '';
  const key = dayKey(ts);
  if (key === dayKey(now)) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (key === dayKey(yesterday.getTime())) return 'Yesterday';
  return dayFormat.format(ts);
}

const sameYearFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const otherYearFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** When, briefly, for a list of found messages: the time today, else the date (with the year if not this one). */
export function shortWhen(ts: number, now: number = Date.now()): string {
  const date = new Date(ts);
  if (Number.isNaN(date.getTime())) return '';
  if (dayKey(ts) === dayKey(now)) return clockFormat.format(date);
  return (date.getFullYear() === new Date(now).getFullYear() ? sameYearFormat : otherYearFormat).format(date);
}
