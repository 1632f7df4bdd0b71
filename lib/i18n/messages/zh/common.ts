export default {
  appName: "供电所抄核收",
  language: "语言",
  save: "保存",
  cancel: "取消",
  confirm: "确认",
  search: "搜索",
  print: "打印",
  export: "导出",
  yuan: "元",
  kwh: "千瓦时",
} as const;
