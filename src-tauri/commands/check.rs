use agreement_sync_core::check::CheckProgress;
use agreement_sync_core::schedule::ScheduleView;
use agreement_sync_core::view::{CheckSummary, Connectivity};

use super::{CommandResult, Progress};
use crate::state::AppState;

pub async fn check_changes(
    state: &AppState,
    on_progress: Progress<CheckProgress>,
    read_connectwise_whole: bool,
) -> CommandResult<CheckSummary> {
    let report = move |p: CheckProgress| on_progress.report(p);
    let session = state.session()?;
    let checked = if read_connectwise_whole {
        session
            .check_changes_reading_connectwise_whole(&report)
            .await
    } else {
        session.check_changes(&report).await
    };
    Ok(checked?)
}

pub async fn check_connectivity(state: &AppState) -> CommandResult<Connectivity> {
    Ok(state.session()?.check_connectivity().await)
}

/// Sets the profile's scheduled checks (every 1 to 168 hours, or off) and notifications.
pub async fn set_schedule(
    state: &AppState,
    every_hours: Option<u32>,
    notify: bool,
) -> CommandResult<ScheduleView> {
    Ok(state.session()?.set_schedule(every_hours, notify).await?)
}

pub async fn set_first_check_days(state: &AppState, days: u32) -> CommandResult<()> {
    Ok(state.session()?.set_first_check_days(days).await?)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::mock_window::MockWindow;

    #[test]
    fn a_refused_value_reaches_the_window_as_an_error_view() {
        let window = MockWindow::open();
        assert_eq!(
            window.invoke("set_first_check_days", json!({ "days": 0 })),
            Err(json!({
                "code": "invalid",
                "message": "The first check can read between 1 and 365 days back.",
                "field": "firstCheckDays",
            }))
        );
        let status = window.invoke("app_status", json!({})).expect("a status");
        assert_ne!(status["firstCheckDays"], 0);
    }

    #[test]
    fn an_accepted_value_answers_null_and_is_kept() {
        let window = MockWindow::open();
        assert_eq!(
            window.invoke("set_first_check_days", json!({ "days": 30 })),
            Ok(json!(null))
        );
        let status = window.invoke("app_status", json!({})).expect("a status");
        assert_eq!(status["firstCheckDays"], 30);
    }

    #[test]
    fn an_argument_of_the_wrong_type_is_refused_before_the_command_runs() {
        let window = MockWindow::open();
        let refusal = window
            .invoke("set_first_check_days", json!({ "days": "thirty" }))
            .expect_err("refused");
        let text = refusal.as_str().unwrap_or_default();
        assert!(
            text.starts_with("invalid args `days` for command `set_first_check_days`"),
            "{refusal}"
        );
    }
}
