// Payments, receipts, ledger, late fees, prepaid, bank debit, partners (counter issue).
export default {
  channels: {
    COUNTER_CASH: "柜台现金",
    COUNTER_CARD: "柜台刷卡",
    BANK_DEBIT: "银行代扣",
    WECHAT: "微信",
    ALIPAY: "支付宝",
    UNIONPAY: "银联",
    MOBILE_BANK: "手机银行",
    KIOSK: "自助终端",
    PREPAID_TOPUP: "预购电充值",
  },
  status: { POSTED: "已入账", REVERSED: "已冲正" },
  validation: {
    amountRequired: "请输入金额",
    amount: "金额须为正数，最多两位小数，如 120.50",
    amountZero: "金额须大于 0",
    amountTooLarge: "金额超过单笔上限 1,000,000,000.00 元，请核对（是否多输了位数？）",
  },
  ledgerKinds: {
    OPENING: "期初余额",
    BILL: "电费",
    LATE_FEE: "违约金",
    PAYMENT: "缴费",
    REVERSAL: "冲正",
    ADJUSTMENT: "调整",
    WRITE_OFF: "核销",
    WAIVER: "违约金减免",
  },
  // SMS to customers (sent through the outbox)
  sms: {
    warning1: "【供电所】尊敬的客户，您的户号{customerNo}预购电余额为{funds}元，已低于提醒值，请及时充值，以免影响用电。",
    warning2: "【供电所】尊敬的客户，您的户号{customerNo}预购电余额仅剩{funds}元，请尽快充值，余额不足将停电。",
    stopNotice: "【供电所】尊敬的客户，您的户号{customerNo}预购电余额已不足（{funds}元）。如{hours}小时内未充值，将按费控协议停电；充值后自动复电。",
    stopped: "【供电所】尊敬的客户，您的户号{customerNo}因预购电余额不足（{funds}元）已按费控协议停电。充值至余额大于零后自动复电。",
    restored: "【供电所】尊敬的客户，您的户号{customerNo}已充值，余额{funds}元，已自动复电。感谢您的支持。",
    bankTopUp: "【供电所】尊敬的客户，您的户号{customerNo}本月电费{amount}元银行代扣未成功（账户余额不足），请尽快存入足额款项或到营业厅缴费。",
  },
} as const;
