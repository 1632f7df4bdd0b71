// billing strings (filled in as the pages arrive).
export default {
  title: "billing",
} as const;
