// Register each area's catalog here, once per locale.
import zhCommon from "./messages/zh/common";
import enCommon from "./messages/en/common";
import zhErrors from "./messages/zh/errors";
import enErrors from "./messages/en/errors";

export const catalogs = {
  zh: { common: zhCommon, errors: zhErrors },
  en: { common: enCommon, errors: enErrors },
} as const;
