// Payment channels (enum PaymentChannel in the schema), in the order the counter offers them.
export const PAYMENT_CHANNEL_VALUES = [
  "COUNTER_CASH", "COUNTER_CARD", "WECHAT", "ALIPAY", "UNIONPAY", "MOBILE_BANK", "KIOSK", "BANK_DEBIT", "PREPAID_TOPUP",
] as const;
export type PaymentChannelValue = (typeof PAYMENT_CHANNEL_VALUES)[number];
/** Channels a clerk takes at the counter (bank debit and partners arrive through their files/API). */
export const COUNTER_CHANNELS: PaymentChannelValue[] = ["COUNTER_CASH", "COUNTER_CARD", "WECHAT", "ALIPAY", "UNIONPAY", "PREPAID_TOPUP"];
