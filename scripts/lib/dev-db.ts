// Where the embedded development database lives (kept between runs under .data/).
// EMBEDDED_PG_PORT moves it off 54329 (e.g. to run a second checkout beside this one).
export const DEV_DB = {
  dataDir: ".data/pg",
  port: Number(process.env.EMBEDDED_PG_PORT || 54329),
  database: "chaohe",
} as const;
