export default {
  GENERIC: "The system could not finish this. Please try again; if it keeps happening, tell the administrator.",
  INVALID_INPUT: "Some input is wrong: please correct it and submit again.",
  AUTH_REQUIRED: "Your session has expired or you are not signed in. Please sign in again.",
  FORBIDDEN: "You do not have permission to do this.",
  USER_INACTIVE: "This account is deactivated. Please contact the administrator.",
  NOT_FOUND: "Record not found.",
  // users administration (platform)
  USERNAME_TAKEN: "This username is already taken: choose another.",
  CANNOT_DEACTIVATE_SELF: "You cannot deactivate your own account.",
  CANNOT_CHANGE_OWN_ROLE: "You cannot change your own role: ask another administrator.",
  LAST_ADMIN: "This is the station's last active administrator: it cannot be deactivated or given another role.",
  STATION_NOT_ALLOWED: "You may not create users for that station.",
} as const;
