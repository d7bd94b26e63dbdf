import { CloudSoarArgumentError } from './errors.js';

// Incident dates are read as display strings in the reading user's zone: "09-08-2023 07:15 AM"
// (v3) or "09/08/23 07:15:00" (v2 KPI). They carry no zone, so the caller says which offset the
// user's profile uses. An unset date shows the epoch in that zone ("12-31-1969 06:00 PM").
const V3 = /^(\d{2})-(\d{2})-(\d{4}) (\d{1,2}):(\d{2}) (AM|PM)$/i;
const V2 = /^(\d{2})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const HALF_DAY_MS = 14 * 3600 * 1000; // the widest UTC offset

export interface DisplayDateOptions {
  /** The user's UTC offset in minutes (e.g. -360 for UTC−6); default 0. */
  utcOffsetMinutes?: number;
}

/**
 * Reads a display date-time into a Date, or null when it is the epoch placeholder of an unset date.
 * Throws CloudSoarArgumentError for text in neither known format.
 */
export function parseDisplayDateTime(text: string, { utcOffsetMinutes = 0 }: DisplayDateOptions = {}): Date | null {
  if (typeof text !== 'string') throw new CloudSoarArgumentError('text', `must be a string, got ${typeof text}`);
  if (!Number.isFinite(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 14 * 60) {
    throw new CloudSoarArgumentError('utcOffsetMinutes', `must be within ±840, got ${utcOffsetMinutes}`);
  }
  let year: number,
    month: number,
    day: number,
    hour: number,
    minute: number,
    second = 0;
  const v3 = V3.exec(text.trim());
  const v2 = v3 ? null : V2.exec(text.trim());
  if (v3) {
    [month, day, year, hour, minute] = [v3[1], v3[2], v3[3], v3[4], v3[5]].map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    if (hour < 1 || hour > 12)
      throw new CloudSoarArgumentError('text', `hour ${hour} is not on a 12-hour clock in ${JSON.stringify(text)}`);
    hour = (hour % 12) + (v3[6]!.toUpperCase() === 'PM' ? 12 : 0);
  } else if (v2) {
    [month, day, year, hour, minute, second] = [v2[1], v2[2], v2[3], v2[4], v2[5], v2[6]].map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    year += year >= 70 ? 1900 : 2000;
  } else {
    throw new CloudSoarArgumentError(
      'text',
      `${JSON.stringify(text)} is neither "MM-DD-YYYY hh:mm AM" nor "MM/DD/YY HH:MM:SS"`,
    );
  }
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(local);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new CloudSoarArgumentError('text', `${JSON.stringify(text)} is not a real date and time`);
  }
  const instant = local - utcOffsetMinutes * 60_000;
  return Math.abs(instant) <= HALF_DAY_MS ? null : new Date(instant);
}

/** A timeline time (epoch seconds) as a Date; 0 means unset and gives null. */
export function fromEpochSeconds(seconds: number): Date | null {
  if (!Number.isFinite(seconds))
    throw new CloudSoarArgumentError('seconds', `must be a number, got ${JSON.stringify(seconds)}`);
  return seconds === 0 ? null : new Date(seconds * 1000);
}
