// Type tests of the command map, checked by `tsc` (`npm run typecheck`) and never run: each line
// under `@ts-expect-error` must be refused, or the typecheck fails.
import type { AppStatus } from "./bindings/AppStatus";
import type { TaskPage } from "./bindings/TaskPage";
import type { TaskQuery } from "./bindings/TaskQuery";
import type { Call } from "./ipc";

export function commandMapTypeTests(call: Call, query: TaskQuery): void {
  void call("app_status");
  void call("list_tasks", { query, offset: 0, limit: 200 });
  void call("set_task_ignored", { id: 3, reason: null });
  const status: Promise<AppStatus> = call("switch_profile", { id: "demo" });
  void status;

  // @ts-expect-error: no command has that name
  void call("list_task", { query, offset: 0, limit: 200 });
  // @ts-expect-error: an argument is missing
  void call("list_tasks", { query, offset: 0 });
  // @ts-expect-error: an argument of the wrong type
  void call("open_wizard", { taskId: "4" });
  // @ts-expect-error: an argument named as in Rust, not as the window sends it
  void call("open_wizard", { task_id: 4 });
  // @ts-expect-error: an argument the command does not take
  void call("get_profile", { id: "contoso", name: "Contoso" });
  // @ts-expect-error: arguments to a command that takes none
  void call("app_status", { id: "demo" });
  // @ts-expect-error: a command that takes arguments, called without them
  void call("switch_profile");
  // @ts-expect-error: a result the command does not answer with
  const page: Promise<TaskPage> = call("app_status");
  void page;
}
