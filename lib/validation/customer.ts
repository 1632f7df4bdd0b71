import { z } from "zod";

export const searchSchema = z.object({ q: z.string().trim().max(60, "搜索内容最多 60 个字符") });
export const customerIdSchema = z.coerce.number().int().positive();
