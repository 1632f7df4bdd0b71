export default {
  title: "Manager dashboard",
  subtitle: "{station} · as of {asOf}",
  counts: {
    customers: "Customers on record",
    activeCustomers: "Customers in supply",
    openExceptions: "Open audit exceptions",
    pendingApprovals: "Pending approvals",
    pendingReadingDayChanges: "Pending reading-day changes",
    activeUsers: "Active staff",
  },
  unit: { customers: "", items: "", people: "" },
  later: "Recovery rate, arrears and credit-grade charts follow in a later version.",
} as const;
