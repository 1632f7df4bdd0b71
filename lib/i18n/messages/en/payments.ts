// Payments, receipts, ledger, late fees, prepaid, bank debit, partners (counter issue).
export default {
  channels: {
    COUNTER_CASH: "Counter cash",
    COUNTER_CARD: "Counter card",
    BANK_DEBIT: "Bank debit",
    WECHAT: "WeChat",
    ALIPAY: "Alipay",
    UNIONPAY: "UnionPay",
    MOBILE_BANK: "Mobile banking",
    KIOSK: "Kiosk",
    PREPAID_TOPUP: "Prepaid top-up",
  },
  status: { POSTED: "Posted", REVERSED: "Reversed" },
  validation: {
    amountRequired: "Enter the amount",
    amount: "The amount must be a positive number with at most two decimals, e.g. 120.50",
    amountZero: "The amount must be above 0",
    amountTooLarge: "The amount is above the limit of 1,000,000,000.00 yuan for one payment: check it (an extra digit?)",
  },
  ledgerKinds: {
    OPENING: "Opening balance",
    BILL: "Bill",
    LATE_FEE: "Late-payment charge",
    PAYMENT: "Payment",
    REVERSAL: "Reversal",
    ADJUSTMENT: "Adjustment",
    WRITE_OFF: "Write-off",
    WAIVER: "Charge waived",
  },
  sms: {
    warning1: "[Supply station] Account {customerNo}: your prepaid balance is {funds} yuan, below the reminder level. Please top up.",
    warning2: "[Supply station] Account {customerNo}: only {funds} yuan left. Please top up soon: supply stops when the balance runs out.",
    stopNotice: "[Supply station] Account {customerNo}: your prepaid balance is short ({funds} yuan). Without a top-up within {hours} hours supply stops under the fee-control agreement; it restores automatically after a top-up.",
    stopped: "[Supply station] Account {customerNo}: supply stopped under the fee-control agreement (balance {funds} yuan). It restores automatically once the balance is above zero.",
    restored: "[Supply station] Account {customerNo}: topped up, balance {funds} yuan, supply restored. Thank you.",
    bankTopUp: "[Supply station] Account {customerNo}: this month's bank debit of {amount} yuan failed (insufficient funds). Please top up your account or pay at the counter.",
  },
} as const;
