import { useI18n } from "~/i18n/react";
import type { ContractPageData } from "~/modules/projects/contract.server";

/** The contract's numbers as a table: each milestone's due date, share, amount, state and what was paid. */
export function ContractTable({ data }: { data: ContractPageData }) {
  const { t, number, date } = useI18n();
  return (
    <section className="card" aria-labelledby="contract-numbers">
      <h2 id="contract-numbers">{t("contract.numbers")}</h2>
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="contract-numbers">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("contract.col.milestone")}</th>
              <th scope="col">{t("contract.col.due")}</th>
              <th scope="col">{t("contract.col.share")}</th>
              <th scope="col">{t("contract.col.shareAmount")}</th>
              <th scope="col">{t("contract.col.status")}</th>
              <th scope="col">{t("contract.col.paid")}</th>
            </tr>
          </thead>
          <tbody>
            {data.milestones.map((m) => (
              <tr key={m.id}>
                <th scope="row">
                  {m.ordinal}. {m.title}
                </th>
                <td>{m.dueOn}</td>
                <td>{m.share}%</td>
                <td>{number(m.shareAmount)}</td>
                <td>{t(`contract.milestone.status.${m.status}`)}</td>
                <td>{m.paidAt ? `${number(m.paidAmount ?? 0)} · ${date(m.paidAt, "date")}` : "—"}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t("contract.total")}</th>
              <td />
              <td>{data.milestones.reduce((s, m) => s + m.share, 0)}%</td>
              <td>{number(data.amount)}</td>
              <td />
              <td>{number(data.paid)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}
