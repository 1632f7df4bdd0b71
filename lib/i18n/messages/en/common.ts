export default {
  appName: "Supply Station Billing & Collections",
  language: "Language",
  save: "Save",
  cancel: "Cancel",
  confirm: "Confirm",
  search: "Search",
  print: "Print",
  export: "Export",
  yuan: "yuan",
  kwh: "kWh",
} as const;
