// AppError codes → what the user reads. Every code thrown anywhere has an entry here.
export default {
  GENERIC: "系统繁忙，操作未完成，请稍后重试。如多次出现请联系管理员。",
  INVALID_INPUT: "输入有误，请按提示修改后再提交。",
  AUTH_REQUIRED: "登录已过期或未登录，请重新登录。",
  FORBIDDEN: "您没有执行此操作的权限。",
  USER_INACTIVE: "该账号已停用，请联系管理员。",
  NOT_FOUND: "未找到该记录。",
  // users administration (platform)
  USERNAME_TAKEN: "该用户名已被使用，请换一个。",
  CANNOT_DEACTIVATE_SELF: "不能停用自己的账号。",
  CANNOT_CHANGE_OWN_ROLE: "不能修改自己的角色，请由另一位管理员操作。",
  LAST_ADMIN: "这是本所最后一个在用的管理员账号，不能停用或改为其他角色。",
  STATION_NOT_ALLOWED: "您不能为该供电所创建用户。",
} as const;
