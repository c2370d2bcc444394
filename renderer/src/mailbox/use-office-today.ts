/** The office's day, looked at once a minute: the day groups move on at midnight. */
import { useEffect, useState } from 'react';
import { today } from '../format/days.js';

export function useOfficeToday(): string {
  const [day, setDay] = useState(() => today());
  useEffect(() => {
    const timer = setInterval(() => setDay(today()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return day;
}
