// 金额大写 for receipts: 154.20 → 壹佰伍拾肆元贰角整, 1005.00 → 壹仟零伍元整, 100.05 → 壹佰元零伍分.
import type { Fen } from "../money";

const D = "零壹贰叁肆伍陆柒捌玖";
const UNIT = ["", "拾", "佰", "仟"];
const SECTION = ["", "万", "亿", "万亿"];

function integerUpper(n: number): string {
  if (n === 0) return "零";
  const digits = String(n).split("").map(Number);
  let out = "";
  let zero = false;
  digits.forEach((d, i) => {
    const pos = digits.length - 1 - i;
    if (d === 0) zero = true;
    else {
      if (zero) out += "零";
      zero = false;
      out += D[d] + UNIT[pos % 4];
    }
    // closing a 4-digit section: its unit (万, 亿) only if the section has a non-zero digit
    if (pos % 4 === 0 && pos > 0 && digits.slice(Math.max(0, i - 3), i + 1).some((x) => x !== 0)) out += SECTION[pos / 4];
  });
  return out;
}

export function yuanUppercase(amount: Fen): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`not whole fen: ${amount}`);
  if (amount < 0) return `负${yuanUppercase(-amount)}`;
  const yuan = Math.trunc(amount / 100);
  const jiao = Math.trunc(amount / 10) % 10;
  const fen = amount % 10;
  if (amount === 0) return "零元整";
  let s = yuan > 0 ? `${integerUpper(yuan)}元` : "";
  if (jiao === 0 && fen === 0) return `${s}整`;
  if (jiao > 0) s += `${D[jiao]}角`;
  else if (yuan > 0) s += "零";
  return fen > 0 ? `${s}${D[fen]}分` : `${s}整`;
}
