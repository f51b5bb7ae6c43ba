import { DateInput, DatesProvider } from '@mantine/dates';
import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import 'dayjs/locale/nl';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

dayjs.extend(customParseFormat);

type Lang = 'nl' | 'en';

/** How a day is shown, and the ways an owner types one, per language (ISO as a date input gives it too). */
const FORMATS: Record<Lang, { shown: string; typed: string[] }> = {
  nl: { shown: 'D MMMM YYYY', typed: ['YYYY-MM-DD', 'D-M-YYYY', 'D/M/YYYY', 'D MMMM YYYY', 'D MMM YYYY'] },
  en: {
    shown: 'MMMM D, YYYY',
    typed: ['YYYY-MM-DD', 'M/D/YYYY', 'MMMM D, YYYY', 'MMM D, YYYY', 'D MMMM YYYY'],
  },
};

const langOf = (language: string): Lang => (language.startsWith('nl') ? 'nl' : 'en');

/**
 * Reads a typed day as that calendar day, "YYYY-MM-DD", or null. It is parsed strictly as a date without
 * a time and never passes through an instant, so no time zone can move it to the day before or after.
 *
 * @example
 * parseDateOnly('3-11-2026', 'nl'); // '2026-11-03'
 */
export function parseDateOnly(text: string, lang: Lang): string | null {
  const parsed = dayjs(text.trim(), FORMATS[lang].typed, lang, true);
  return parsed.isValid() ? parsed.format('YYYY-MM-DD') : null;
}

/**
 * The day a stored time stands for, as a date-only input takes it: a date-only value (kept at noon UTC) as
 * entered, else the local day; '' for none.
 *
 * @example
 * storedDay('2026-11-03T12:00:00.000Z'); // '2026-11-03'
 */
export function storedDay(iso: string | null): string {
  if (!iso) return '';
  if (/T12:00:00\.000Z$/.test(iso)) return iso.slice(0, 10);
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The calendars of the date inputs in the user's language, the week from Monday (a Dutch business). */
export function DateOnlyProvider({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return (
    <DatesProvider settings={{ locale: langOf(i18n.language), firstDayOfWeek: 1 }}>{children}</DatesProvider>
  );
}

/**
 * A day without a time (a sign-up date, the date of a call or an order): typed or picked, shown in the
 * user's language, and given as "YYYY-MM-DD" ('' when empty), the calendar day as entered. The api stores
 * such a day at noon UTC; the contact page shows it in UTC, so every time zone reads the same day.
 */
export function DateOnlyInput({
  label,
  description,
  required,
  value,
  onChange,
}: {
  label: string;
  description?: string | undefined;
  required?: boolean;
  value: string;
  onChange: (value: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  // The calendar opens when asked for (a click, or Arrow down), not on focus or while typing: a typed day
  // needs no calendar over the fields below it. Escape closes only the calendar, not the dialog around it.
  const [calendar, setCalendar] = useState(false);
  return (
    <DateInput
      label={label}
      description={description}
      required={required}
      value={value === '' ? null : value}
      onChange={(next) => {
        onChange(next ?? '');
        setCalendar(false);
      }}
      valueFormat={FORMATS[lang].shown}
      dateParser={(text) => parseDateOnly(text, lang)}
      placeholder={t('app.datePlaceholder')}
      clearable={!required}
      clearButtonProps={{ 'aria-label': t('app.clearDate') }}
      popoverProps={{ opened: calendar }}
      ariaLabels={{
        previousMonth: t('app.calendar.previousMonth'),
        nextMonth: t('app.calendar.nextMonth'),
        previousYear: t('app.calendar.previousYear'),
        nextYear: t('app.calendar.nextYear'),
        previousDecade: t('app.calendar.previousDecade'),
        nextDecade: t('app.calendar.nextDecade'),
        // The month and year controls are named by what they show ("november 2026").
      }}
      // Days of other months and weekends in the body colour: Mantine's dimmed and red fall below 4.5:1.
      hideOutsideDates
      weekendDays={[]}
      onClick={() => setCalendar(true)}
      onBlur={() => setCalendar(false)}
      // Mantine's dialogs leave an Escape from an input so marked to it (as its own comboboxes do).
      data-mantine-stop-propagation={calendar || undefined}
      onKeyDown={(event) => {
        if (event.key === 'ArrowDown') setCalendar(true);
        if (event.key === 'Escape') setCalendar(false);
      }}
    />
  );
}
