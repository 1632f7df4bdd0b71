export default {
  title: "所长看板",
  subtitle: "{station} · 数据截至 {asOf}",
  counts: {
    customers: "在册客户",
    activeCustomers: "正常用电客户",
    openExceptions: "未处理核算异常",
    pendingApprovals: "待审批事项",
    pendingReadingDayChanges: "待审批例日变更",
    activeUsers: "在岗员工",
  },
  unit: { customers: "户", items: "件", people: "人" },
  later: "回收率、欠费分布与信用等级图表将在后续版本中提供。",
} as const;
