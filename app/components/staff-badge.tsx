import { useI18n } from "~/i18n/react";

/**
 * "✓ 工作人员 @account" beside a name: whoever holds a staff position speaks
 * under their account name too, so a display name cannot pass for theirs
 * (issue 12 §4). `account` is null for everyone else.
 */
export function StaffBadge({ account }: { account: string | null }) {
  const { t } = useI18n();
  if (account === null) return null;
  return (
    <span className="staff-badge" title={t("staff.verifiedTitle", { account })}>
      ✓ {t("staff.verified")}
      {account ? <span className="staff-badge__account"> @{account}</span> : null}
    </span>
  );
}
