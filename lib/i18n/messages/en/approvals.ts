// Manager approvals (generic by kind).
export default {
  title: "Approvals",
  subtitle: "Reversals, late-charge waivers and other requests that need the manager. Approving applies the change at once; rejecting changes nothing.",
  pending: "Waiting",
  decided: "Recently decided",
  none: "Nothing is waiting for approval.",
  noneDecided: "Nothing decided yet.",
  col: { kind: "Kind", target: "For", detail: "What", reason: "Reason", requestedBy: "Requested by", requestedAt: "Requested at", status: "Decision", decidedBy: "Decided by", actions: "Actions" },
  kinds: { REVERSE_PAYMENT: "Payment reversal", WAIVE_LATE_FEE: "Late-charge waiver", WRITE_OFF: "Write-off", GRADE_OVERRIDE: "Grade override", ACCOUNT_CLOSURE: "Account closure" },
  detail: {
    REVERSE_PAYMENT: "Receipt {receiptNo}, {amount} yuan",
    WAIVE_LATE_FEE: "Late charge on the {period} bill, {amount} yuan (to {asOf})",
    ACCOUNT_CLOSURE: "Customer {customerNo}, zero use; final bill {period}; balance when proposed {balance} yuan (recomputed on approval: prepaid funds refunded, arrears kept)",
  },
  status: { PENDING: "Waiting", APPROVED: "Approved", REJECTED: "Rejected", CANCELLED: "Cancelled" },
  approve: "Approve",
  reject: "Reject",
  note: "Note (optional)",
  approved: "Approved and applied.",
  rejected: "Rejected: nothing changed.",
  unknownKind: "Decide this kind on its own page",
  closureSteps: "See the site check and the other steps",
} as const;
