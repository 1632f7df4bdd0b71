import { describe, expect, it } from "vitest";
import { yuanUppercase } from "@/lib/domain/payments/uppercase";
import { maskContactValue, maskPhone, searchTokens, tokenKind } from "@/lib/domain/payments/mask";

describe("金额大写 on receipts", () => {
  const cases: [number, string][] = [
    [15420, "壹佰伍拾肆元贰角整"],
    [100500, "壹仟零伍元整"],
    [10005, "壹佰元零伍分"],
    [5, "伍分"],
    [50, "伍角整"],
    [0, "零元整"],
    [10001000, "壹拾万零壹拾元整"],
    [1000000000, "壹仟万元整"],
    [10000000000, "壹亿元整"],
    [10000100000, "壹亿零壹仟元整"],
    [1234567891, "壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角壹分"],
    [-15420, "负壹佰伍拾肆元贰角整"],
  ];
  for (const [fen, text] of cases) it(`${fen} fen → ${text}`, () => expect(yuanUppercase(fen)).toBe(text));
});

describe("masking and search tokens", () => {
  it("masks a mobile in the middle, other numbers but the last 4", () => {
    expect(maskPhone("13805710001")).toBe("138****0001");
    expect(maskPhone("0571-88886666")).toBe("*********6666");
    expect(maskContactValue("EMAIL", "wang@example.com")).toBe("w***@example.com");
    expect(maskContactValue("POST", "幸福路1号")).toBe("幸福路1号");
  });
  it("splits on white space including the full-width space; numbers are code tokens", () => {
    expect(searchTokens(" 王伟　幸福路  12 ")).toEqual(["王伟", "幸福路", "12"]);
    expect(tokenKind("0000012345")).toBe("code");
    expect(tokenKind("P00000012")).toBe("code");
    expect(tokenKind("幸福路12号")).toBe("text");
  });
});
