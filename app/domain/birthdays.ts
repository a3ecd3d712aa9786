/**
 * Birthday points, without the database: a member gives their birthday (month and day, no year)
 * once in the widget; on that day in the shop's time zone they get the program's birthday points,
 * once a year, unless the date was changed within the 30 days before. docs/engagement.md.
 */

/** Days after a change of birthday during which no birthday bonus is given. */
export const BIRTHDAY_CHANGE_WAIT_DAYS = 30;

export interface Birthday {
  month: number;
  day: number;
}

/** A real calendar day; 29 February is one (it is celebrated on the 28th in other years). */
export function isBirthday(value: { month: unknown; day: unknown }): value is Birthday {
  const { month, day } = value;
  if (!Number.isInteger(month) || !Number.isInteger(day)) return false;
  const m = month as number;
  const d = day as number;
  if (m < 1 || m > 12 || d < 1) return false;
  // 2024 is a leap year: every day that exists in some year exists in it.
  return d <= new Date(Date.UTC(2024, m, 0)).getUTCDate();
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * The birthdays celebrated on a calendar day: the day itself, and on 28 February of a year
 * without a 29th, those born on the 29th too.
 */
export function birthdaysOn(localDate: { year: number; month: number; day: number }): Birthday[] {
  const today = { month: localDate.month, day: localDate.day };
  if (localDate.month === 2 && localDate.day === 28 && !isLeapYear(localDate.year)) {
    return [today, { month: 2, day: 29 }];
  }
  return [today];
}

/** The key of a member's bonus for one year: one per member per year, whatever the job does. */
export function birthdayKey(memberId: string, year: number): string {
  return `birthday:${memberId}:${year}`;
}
