// Login page. Wrong password and unknown user deliberately share one message.
export default {
  login: {
    title: "登录",
    subtitle: "请使用您的工号账号登录",
    username: "用户名",
    password: "密码",
    submit: "登录",
    submitting: "正在登录…",
  },
  errors: {
    INVALID_CREDENTIALS: "用户名或密码错误。",
    TOO_MANY_ATTEMPTS: "登录失败次数过多，账号已暂时锁定，请稍后再试。",
    USER_INACTIVE: "该账号已停用，请联系管理员。",
    EXPIRED: "登录已过期或未登录，请重新登录。",
    MISSING: "请输入用户名和密码。",
    GENERIC: "登录未成功，请稍后重试。",
  },
  signedOut: "您已安全退出。",
} as const;
