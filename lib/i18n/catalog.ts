// Register each area's catalog here, once per locale.
import zhPayments from "./messages/zh/payments";
import zhCounter from "./messages/zh/counter";
import enCounter from "./messages/en/counter";
import zhApprovals from "./messages/zh/approvals";
import enApprovals from "./messages/en/approvals";
import enPayments from "./messages/en/payments";
import zhCommon from "./messages/zh/common";
import enCommon from "./messages/en/common";
import zhErrors from "./messages/zh/errors";
import zhReadings from "./messages/zh/readings";
import enReadings from "./messages/en/readings";
import zhReader from "./messages/zh/reader";
import enReader from "./messages/en/reader";
import enErrors from "./messages/en/errors";
import zhAuth from "./messages/zh/auth";
import enAuth from "./messages/en/auth";
import zhShell from "./messages/zh/shell";
import enShell from "./messages/en/shell";
import zhAdmin from "./messages/zh/admin";
import enAdmin from "./messages/en/admin";
import zhDashboard from "./messages/zh/dashboard";
import enDashboard from "./messages/en/dashboard";
import zhTariffs from "./messages/zh/tariffs";
import enTariffs from "./messages/en/tariffs";
import zhBilling from "./messages/zh/billing";
import enBilling from "./messages/en/billing";
import zhAudit from "./messages/zh/audit";
import enAudit from "./messages/en/audit";
import zhClosures from "./messages/zh/closures";
import enClosures from "./messages/en/closures";
import zhOutbox from "./messages/zh/outbox";
import enOutbox from "./messages/en/outbox";

export const catalogs = {
  zh: { payments: zhPayments, counter: zhCounter, approvals: zhApprovals, tariffs: zhTariffs, billing: zhBilling, audit: zhAudit, closures: zhClosures, outbox: zhOutbox, readings: zhReadings, reader: zhReader, common: zhCommon, errors: zhErrors, auth: zhAuth, shell: zhShell, admin: zhAdmin, dashboard: zhDashboard },
  en: { payments: enPayments, counter: enCounter, approvals: enApprovals, tariffs: enTariffs, billing: enBilling, audit: enAudit, closures: enClosures, outbox: enOutbox, readings: enReadings, reader: enReader, common: enCommon, errors: enErrors, auth: enAuth, shell: enShell, admin: enAdmin, dashboard: enDashboard },
} as const;
