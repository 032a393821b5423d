'use client';

import { toggleDay, weekdayNames } from './prepare';
import styles from './setup.module.css';

/** Checkboxes for the days of the week, Sunday first as the API numbers them. */
export function WeekdayPicker({ legend, value, onChange }: { legend: string; value: readonly number[]; onChange: (days: number[]) => void }) {
  return (
    <fieldset className={styles.days}>
      <legend>{legend}</legend>
      {weekdayNames.map((name, d) => (
        <label key={name} title={name}>
          <input type="checkbox" checked={value.includes(d)} onChange={(e) => onChange(toggleDay(value, d, e.target.checked))} />
          {name.slice(0, 3)}
        </label>
      ))}
    </fieldset>
  );
}
