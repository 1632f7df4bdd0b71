import "server-only";
import { prisma } from "@/lib/db";

export type StationSummary = {
  stationName: string;
  timezone: string;
  customers: number;
  activeCustomers: number;
  openExceptions: number;
  pendingApprovals: number;
  pendingReadingDayChanges: number;
  activeUsers: number;
};

/** Headline counts for the manager's home (the full dashboard is a later issue). Each count is
 *  one indexed query on station_id; they run in parallel. */
export async function getStationSummary(stationId: number): Promise<StationSummary> {
  const [station, customers, activeCustomers, openExceptions, pendingApprovals, pendingReadingDayChanges, activeUsers] =
    await Promise.all([
      prisma.station.findUniqueOrThrow({ where: { id: stationId }, select: { name: true, timezone: true } }),
      prisma.customer.count({ where: { stationId } }),
      prisma.customer.count({ where: { stationId, status: "ACTIVE" } }),
      prisma.auditException.count({ where: { stationId, status: "OPEN" } }),
      prisma.approval.count({ where: { stationId, status: "PENDING" } }),
      prisma.readingDayChange.count({ where: { stationId, status: "PENDING" } }),
      prisma.user.count({ where: { stationId, active: true } }),
    ]);
  return {
    stationName: station.name,
    timezone: station.timezone,
    customers,
    activeCustomers,
    openExceptions,
    pendingApprovals,
    pendingReadingDayChanges,
    activeUsers,
  };
}

export type StationDTO = { id: number; code: string; name: string; timezone: string };

export async function getStation(stationId: number): Promise<StationDTO> {
  return prisma.station.findUniqueOrThrow({
    where: { id: stationId },
    select: { id: true, code: true, name: true, timezone: true },
  });
}
