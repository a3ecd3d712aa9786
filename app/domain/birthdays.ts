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
/** A posted birthday ({"month": 5, "day": 17}), or null when the body is not one. */
export function parseBirthday(body: unknown): Birthday | null {
  if (typeof body !== "object" || body === null) return null;
  const { month, day } = body as Record<string, unknown>;
  const value = { month, day };
  return isBirthday(value) ? value : null;
}

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

export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

const dayNumber = (d: CalendarDay) => Date.UTC(d.year, d.month - 1, d.day) / (24 * 60 * 60 * 1000);

/** The day a birthday falls on in `year`: 29 February is the 28th in other years. */
export function birthdayIn(birthday: Birthday, year: number): CalendarDay {
  const days = birthdaysOn({ year, month: 2, day: 28 });
  const leapless = birthday.month === 2 && birthday.day === 29 && days.length > 1;
  return { year, month: birthday.month, day: leapless ? 28 : birthday.day };
}

/**
 * The day the next birthday bonus will be paid, in the shop's calendar: this year's birthday if
 * it is still to come (or today) and unpaid, else a later one, the first at least 30 days after
 * the date was given or changed (`setOn`, the shop's calendar day of the change).
 */
export function nextBirthdayBonus(input: {
  birthday: Birthday;
  setOn: CalendarDay;
  today: CalendarDay;
  paidThisYear: boolean;
}): CalendarDay {
  const earliest = dayNumber(input.setOn) + BIRTHDAY_CHANGE_WAIT_DAYS;
  for (let year = input.today.year; ; year++) {
    const day = birthdayIn(input.birthday, year);
    if (year === input.today.year && input.paidThisYear) continue;
    if (dayNumber(day) < dayNumber(input.today) || dayNumber(day) < earliest) continue;
    return day;
  }
}

/** The key of a member's bonus for one year: one per member per year, whatever the job does. */
export function birthdayKey(memberId: string, year: number): string {
  return `birthday:${memberId}:${year}`;
}
