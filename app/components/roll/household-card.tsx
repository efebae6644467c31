import { Link } from "@remix-run/react";
import { useI18n } from "~/i18n/react";

interface Person {
  id: number;
  name: string;
  birthYear: number | null;
  isHead: boolean;
  hasAccount: boolean;
  movedOutAt: string | Date | null;
}

/** One household in the roll's list: its address (opens the household) and its people, with who has no account. */
export function HouseholdCard({ household }: { household: { id: number; address: string; endedAt: string | Date | null; people: Person[] } }) {
  const { t } = useI18n();
  return (
    <li className="list-item" data-testid={`household-${household.id}`}>
      <Link to={`/desk/roll/households/${household.id}`} className="list-item__title">
        {household.address}
      </Link>
      {household.endedAt ? <span className="pill pill--info">{t("roll.movedOut")}</span> : null}
      <ul className="roll-people">
        {household.people.map((p) => (
          <li key={p.id}>
            <PersonLine person={p} />
          </li>
        ))}
      </ul>
    </li>
  );
}

/** "王秀兰 户主 · 1941 年生 · 无账号". */
export function PersonLine({ person }: { person: Person }) {
  const { t } = useI18n();
  return (
    <span>
      <strong>{person.name}</strong>
      {person.isHead ? <span className="pill pill--accent">{t("roll.head")}</span> : null}
      {person.birthYear ? <span className="muted"> · {t("roll.born", { year: String(person.birthYear) })}</span> : null}
      {person.movedOutAt ? (
        <span className="pill pill--info">{t("roll.movedOut")}</span>
      ) : person.hasAccount ? (
        <span className="pill pill--ok">{t("roll.hasAccount")}</span>
      ) : (
        <span className="pill pill--warn">{t("roll.noAccount")}</span>
      )}
    </span>
  );
}
