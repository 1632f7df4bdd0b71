export default {
  login: {
    title: "Sign in",
    subtitle: "Sign in with your staff account",
    username: "Username",
    password: "Password",
    submit: "Sign in",
    submitting: "Signing in…",
  },
  errors: {
    INVALID_CREDENTIALS: "Wrong username or password.",
    TOO_MANY_ATTEMPTS: "Too many failed attempts: the account is locked for a while. Please try again later.",
    USER_INACTIVE: "This account is deactivated. Please contact an administrator.",
    EXPIRED: "Your session has expired or you are not signed in. Please sign in again.",
    MISSING: "Enter your username and password.",
    GENERIC: "Sign-in did not succeed. Please try again later.",
  },
  signedOut: "You have signed out.",
} as const;
