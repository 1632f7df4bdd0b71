// AppError codes → what the user reads. Every code thrown anywhere has an entry here.
export default {
  GENERIC: "系统繁忙，操作未完成，请稍后重试。如多次出现请联系管理员。",
  INVALID_INPUT: "输入有误，请按提示修改后再提交。",
  AUTH_REQUIRED: "登录已过期或未登录，请重新登录。",
  FORBIDDEN: "您没有执行此操作的权限。",
  USER_INACTIVE: "该账号已停用，请联系管理员。",
  NOT_FOUND: "未找到该记录。",
} as const;
