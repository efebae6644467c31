import { useEffect, useState } from "react";
import { useI18n } from "~/i18n/react";

/** Time since an open emergency was dispatched, ticking each half minute (事不完、人不撤). */
export function Elapsed({ since, initialMs }: { since: string | Date; initialMs: number }) {
  const { t } = useI18n();
  const [ms, setMs] = useState(initialMs);
  useEffect(() => {
    const tick = () => setMs(Date.now() - new Date(since).getTime());
    const id = setInterval(tick, 30_000);
    return () => clearInterval(id);
  }, [since]);
  return (
    <p className="notice notice--warn" data-testid="emergency-elapsed">
      {t("whistle.elapsed", { time: duration(ms, t) })}
    </p>
  );
}

export function duration(ms: number, t: ReturnType<typeof useI18n>["t"]) {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000));
  if (minutes >= 1440) return t("time.daysHours", { d: Math.floor(minutes / 1440), h: Math.floor((minutes % 1440) / 60) });
  if (minutes >= 60) return t("time.hoursMinutes", { h: Math.floor(minutes / 60), m: minutes % 60 });
  return t("time.minutes", { m: minutes });
}
