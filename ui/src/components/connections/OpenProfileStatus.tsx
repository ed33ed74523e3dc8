import type { AppStatus } from "../../bindings/AppStatus";
import { useFreshHealth } from "../../hooks/useFreshHealth";
import { profileKey } from "../../screens";
import { HealthSection } from "./HealthSection";
import { ScheduleSettings } from "./ScheduleSettings";

interface OpenProfileStatusProps {
  /** The status of the profile the window has open. */
  status: AppStatus;
  /** The app's clock, which ages are measured against. */
  now: Date;
  /** The schedule changed: the status is read again. */
  onScheduleChanged: () => void;
}

/** What only the open profile has: its services' health (read again as it opens) and its scheduled checks. */
export function OpenProfileStatus({ status, now, onScheduleChanged }: OpenProfileStatusProps) {
  const health = useFreshHealth(status.health);
  return (
    <div className="open-profile-status" data-testid="open-profile-status">
      <HealthSection health={health} now={now} />
      <ScheduleSettings key={profileKey(status.demo, status.profileName)} schedule={status.schedule} onChanged={onScheduleChanged} />
    </div>
  );
}
