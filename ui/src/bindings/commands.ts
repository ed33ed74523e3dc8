// Generated from the list of commands (src-tauri/commands/list.rs) by `make bindings`. Do not edit.
import type { Channel } from "@tauri-apps/api/core";
import type { AppStatus } from "./AppStatus";
import type { CatalogOption } from "./CatalogOption";
import type { CheckProgress } from "./CheckProgress";
import type { CheckSummary } from "./CheckSummary";
import type { CompanyOption } from "./CompanyOption";
import type { ConnectWiseTestView } from "./ConnectWiseTestView";
import type { Connectivity } from "./Connectivity";
import type { MarketplaceTestView } from "./MarketplaceTestView";
import type { ProfileForm } from "./ProfileForm";
import type { ProfileInput } from "./ProfileInput";
import type { ProfilesView } from "./ProfilesView";
import type { SyncView } from "./SyncView";
import type { TaskPage } from "./TaskPage";
import type { TaskQuery } from "./TaskQuery";
import type { TaskRow } from "./TaskRow";
import type { WizardEdit } from "./WizardEdit";
import type { WizardView } from "./WizardView";

/** Each command's arguments, named as the window sends them. */
export type CommandArgs = {
  app_status: Record<string, never>;
  list_tasks: { query: TaskQuery; offset: number; limit: number };
  set_task_ignored: { id: number; reason: string | null };
  check_changes: { onProgress: Channel<CheckProgress>; readConnectwiseWhole: boolean };
  check_connectivity: Record<string, never>;
  set_first_check_days: { days: number };
  open_wizard: { taskId: number };
  edit_wizard: { taskId: number; edit: WizardEdit };
  search_companies: { taskId: number; text: string };
  search_catalog: { text: string };
  sync_task: { taskId: number; onProgress: Channel<SyncView> };
  refresh_agreement: { taskId: number };
  discard_sync: { taskId: number };
  list_profiles: Record<string, never>;
  get_profile: { id: string };
  save_profile: { input: ProfileInput };
  remove_profile: { id: string };
  switch_profile: { id: string };
  test_connectwise: { input: ProfileInput };
  test_marketplace: { input: ProfileInput };
};

/** What each command answers with; a command that fails rejects with an `ErrorView`. */
export type CommandResults = {
  app_status: AppStatus;
  list_tasks: TaskPage;
  set_task_ignored: TaskRow;
  check_changes: CheckSummary;
  check_connectivity: Connectivity;
  set_first_check_days: null;
  open_wizard: WizardView;
  edit_wizard: WizardView;
  search_companies: Array<CompanyOption>;
  search_catalog: Array<CatalogOption>;
  sync_task: SyncView;
  refresh_agreement: WizardView;
  discard_sync: WizardView;
  list_profiles: ProfilesView;
  get_profile: ProfileForm;
  save_profile: ProfileForm;
  remove_profile: ProfilesView;
  switch_profile: AppStatus;
  test_connectwise: ConnectWiseTestView;
  test_marketplace: MarketplaceTestView;
};

export type CommandName = keyof CommandArgs;
