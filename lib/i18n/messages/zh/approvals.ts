// Manager approvals (generic by kind).
export default {
  title: "审批",
  subtitle: "冲正、违约金减免等需要所长审批的申请。批准后立即生效，驳回则不做任何变更。",
  pending: "待审批",
  decided: "最近已审批",
  none: "没有待审批的申请。",
  noneDecided: "暂无已审批记录。",
  col: { kind: "类型", target: "对象", detail: "内容", reason: "原因", requestedBy: "申请人", requestedAt: "申请时间", status: "结果", decidedBy: "审批人", actions: "操作" },
  kinds: {
    REVERSE_PAYMENT: "缴费冲正",
    WAIVE_LATE_FEE: "违约金减免",
    WRITE_OFF: "坏账核销",
    GRADE_OVERRIDE: "信用等级调整",
  },
  detail: {
    REVERSE_PAYMENT: "收据 {receiptNo}，金额 {amount} 元",
    WAIVE_LATE_FEE: "{period} 电费违约金 {amount} 元（计至 {asOf}）",
  },
  status: { PENDING: "待审批", APPROVED: "已批准", REJECTED: "已驳回", CANCELLED: "已撤销" },
  approve: "批准",
  reject: "驳回",
  note: "审批意见（可空）",
  approved: "已批准并生效。",
  rejected: "已驳回，未做任何变更。",
  unknownKind: "此类申请需在对应页面处理",
} as const;
