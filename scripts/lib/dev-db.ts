// Where the embedded development database lives (kept between runs under .data/).
export const DEV_DB = { dataDir: ".data/pg", port: 54329, database: "chaohe" } as const;
