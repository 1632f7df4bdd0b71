// Chinese names, addresses, companies and phone numbers for the demo station.
import type { Rng } from "./rng";

// The commonest surnames, weighted roughly by frequency.
const SURNAMES = [
  "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林",
  "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "潘",
  "袁", "蔡", "蒋", "余", "于", "杜", "叶", "程", "魏", "苏", "吕", "丁", "任", "卢", "姚", "沈", "钟", "姜",
  "崔", "谭", "陆", "范", "汪", "廖", "石", "金", "韦", "贾", "夏", "付", "方", "邹", "熊", "白", "孟", "秦",
  "邱", "侯", "江", "尹", "薛", "闫", "段", "雷", "龙", "黎", "史", "陶", "贺", "毛", "郝", "顾", "龚", "邵",
  "欧阳", "司马", "诸葛",
];
const SURNAME_WEIGHTS = SURNAMES.map((_, i) => (i < 3 ? 70 : i < 10 ? 40 : i < 30 ? 18 : i < 60 ? 8 : i < 95 ? 4 : 0.4));

const GIVEN_M = [
  "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞", "鑫", "波",
  "建国", "建华", "志强", "海涛", "永福", "文斌", "德明", "国平", "志刚", "俊杰", "浩然", "宇轩", "子豪", "家豪",
  "国强", "建军", "红兵", "卫东", "立新", "振华", "明辉", "金龙", "春生", "根宝", "阿土", "水根", "福林", "荣华",
];
const GIVEN_F = [
  "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "慧", "莉", "萍", "红", "琳", "倩",
  "秀英", "桂英", "玉兰", "丽华", "晓燕", "慧敏", "雪梅", "美玲", "春梅", "海燕", "雅琪", "欣怡", "梓涵", "诗涵",
  "淑珍", "凤英", "金花", "彩霞", "月娥", "素珍", "巧云", "翠兰", "小红", "晓丽", "佳怡", "思雨", "梦瑶", "一诺",
];

export function personName(r: Rng, female = r.chance(0.5)): string {
  return r.weighted(SURNAMES, SURNAME_WEIGHTS) + r.pick(female ? GIVEN_F : GIVEN_M);
}

/** A name sharing the surname (a child or spouse of the holder). */
export function relativeName(r: Rng, holder: string): string {
  const surname = holder.startsWith("欧阳") || holder.startsWith("司马") || holder.startsWith("诸葛") ? holder.slice(0, 2) : holder[0];
  return surname + r.pick(r.chance(0.5) ? GIVEN_F : GIVEN_M);
}

export const STREETS = [
  "建设路", "人民路", "解放路", "中山路", "文化路", "新华路", "和平路", "胜利路", "环城东路", "环城西路",
  "工人路", "复兴路", "体育路", "学院路", "延安路", "庆春路", "凤起路", "文三路", "文二路", "教工路",
  "莫干山路", "湖墅路", "秋涛路", "江南大道", "滨江路", "钱江路", "新塘路", "天城路", "石桥路", "沈半路",
  "东新路", "德胜路", "机场路", "笕桥路", "丁桥路", "九堡路", "下沙路", "乔司路", "临平大道", "星桥路",
];
export const VILLAGES = [
  "东湖村", "西溪村", "李家村", "王家庄", "石桥村", "梅林村", "桃源村", "新塘村", "沙田村", "杨柳村",
  "上塘村", "下埠村", "横山村", "前进村", "红星村", "永丰村", "丰收村", "荷花村", "竹园村", "龙井村",
];
export const COMMUNITIES = [
  "幸福小区", "阳光花园", "金色家园", "翠苑一区", "翠苑二区", "和睦新村", "朝晖新村", "三塘苑", "东方名苑",
  "绿城桂花园", "嘉绿苑", "紫金港花园", "天河苑", "海月花园", "景芳三区", "采荷新村", "南都花园", "锦绣江南",
];

const CO_PREFIX = ["恒达", "鑫源", "华盛", "宏远", "金辉", "永丰", "瑞丰", "天成", "新奥", "东方", "兴业", "中联", "联发", "万达", "正泰", "海宁", "精工", "博远"];
const CO_TRADE = ["机械制造", "纺织", "五金制品", "塑料制品", "食品", "电子科技", "建材", "印染", "包装", "化工", "服装", "家具", "汽车配件", "冷链物流", "混凝土"];
const SHOP_KIND = ["便利店", "超市", "餐馆", "理发店", "药店", "五金店", "面馆", "水果店", "服装店", "烟酒店", "快递驿站", "奶茶店", "小吃店", "茶叶店", "干洗店", "汽修店"];
const SITE_KIND = ["住宅楼工程", "道路改造工程", "管网工程", "厂房扩建工程", "学校改建工程", "桥梁维修工程"];

export function companyName(r: Rng): string {
  return `杭州${r.pick(CO_PREFIX)}${r.pick(CO_TRADE)}有限公司`;
}

export function shopName(r: Rng, owner: string): string {
  return r.chance(0.5) ? `${owner[0]}记${r.pick(SHOP_KIND)}` : `${r.pick(CO_PREFIX)}${r.pick(SHOP_KIND)}`;
}

export function siteName(r: Rng): string {
  return `${r.pick(CO_PREFIX)}建设集团${r.pick(STREETS)}${r.pick(SITE_KIND)}`;
}

export function mobile(r: Rng): string {
  return r.pick(["138", "139", "137", "135", "158", "159", "150", "151", "187", "188", "186", "133", "153", "180", "189", "177"]) + r.digits(8);
}

export function landline(r: Rng): string {
  return `0571-${r.pick(["8", "8", "5", "2"])}${r.digits(7)}`;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";

/** A well-formed (checksummed) but invented 18-digit resident ID number. */
export function idNumber(r: Rng, birthYear: number): string {
  const area = r.pick(["330102", "330105", "330106", "330108", "330110", "330114", "330103"]);
  const body = `${area}${birthYear}${String(r.int(1, 12)).padStart(2, "0")}${String(r.int(1, 28)).padStart(2, "0")}${r.digits(3)}`;
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(body[i]) * ID_WEIGHTS[i];
  return body + ID_CHECK[s % 11];
}

/** Unified social credit code look-alike for organisations (18 chars, not checksummed). */
export function creditCode(r: Rng): string {
  return `91330${r.digits(4)}${r.pick(["MA", "7", "6"])}${r.digits(7)}`.slice(0, 17) + r.pick(["X", "0", "1", "5", "8"]);
}
