export default {
  GENERIC: "The system could not finish this. Please try again; if it keeps happening, tell the administrator.",
  INVALID_INPUT: "Some input is wrong: please correct it and submit again.",
  AUTH_REQUIRED: "Your session has expired or you are not signed in. Please sign in again.",
  FORBIDDEN: "You do not have permission to do this.",
  USER_INACTIVE: "This account is deactivated. Please contact the administrator.",
  NOT_FOUND: "Record not found.",
} as const;
