// audit strings (filled in as the pages arrive).
export default {
  title: "audit",
} as const;
