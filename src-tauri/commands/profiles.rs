//! Connections: the profiles, their settings and credentials, switching, and Test connection.
//! Secrets arrive from the window inside `ProfileInput` and go to the keyring; nothing returned
//! here carries one.

use agreement_sync_core::connections::{self, TEST_TIMEOUTS};
use agreement_sync_core::error::ErrorField;
use agreement_sync_core::profiles::{self, DEMO_ID};
use agreement_sync_core::view::{
    AppStatus, ConnectWiseTestView, MarketplaceTestView, ProfileForm, ProfileInput, ProfilesView,
};
use agreement_sync_core::Error;

use super::CommandResult;
use crate::state::{blocking, AppState};

async fn profiles_view(state: &AppState) -> ProfilesView {
    let secrets = state.secrets();
    let keyring = blocking(move || Ok(profiles::keyring_state(secrets.as_ref())))
        .await
        .unwrap_or_else(|e| agreement_sync_core::view::KeyringState::Unavailable {
            message: e.to_string(),
        });
    match state.profiles() {
        Ok(list) => ProfilesView {
            active_id: state.open_id(),
            profiles: list.summaries(),
            keyring,
            problem: None,
        },
        Err(e) => ProfilesView {
            active_id: state.open_id(),
            profiles: vec![profiles::demo_summary()],
            keyring,
            problem: Some(e.to_string()),
        },
    }
}

pub async fn list_profiles(state: &AppState) -> CommandResult<ProfilesView> {
    Ok(profiles_view(state).await)
}

async fn form(state: &AppState, id: String) -> agreement_sync_core::Result<ProfileForm> {
    let list = state.profiles()?;
    let secrets = state.secrets();
    blocking(move || list.form(&id, secrets.as_ref())).await
}

pub async fn get_profile(state: &AppState, id: String) -> CommandResult<ProfileForm> {
    Ok(form(state, id).await?)
}

pub async fn save_profile(state: &AppState, input: ProfileInput) -> CommandResult<ProfileForm> {
    let open = input.id.as_deref() == Some(state.open_id().as_str());
    let _changing = state
        .begin_change("change the open profile's connection", open)
        .await?;
    let id = state
        .change_profiles(move |list, secrets| list.save(&input, secrets))
        .await?;
    tracing::info!(profile = %id, "profile saved");
    if open {
        // The open profile connects with what was just saved.
        state.switch_to(&id).await?;
    }
    Ok(form(state, id).await?)
}

pub async fn remove_profile(state: &AppState, id: String) -> CommandResult<ProfilesView> {
    let open = state.open_id() == id;
    let _changing = state.begin_change("remove the open profile", open).await?;
    state.profiles()?;
    if open {
        state.switch_to(DEMO_ID).await?;
    }
    let removed = id.clone();
    state
        .change_profiles(move |list, secrets| list.remove(&removed, secrets))
        .await?;
    tracing::info!(profile = %id, "profile removed");
    Ok(profiles_view(state).await)
}

pub async fn switch_profile(state: &AppState, id: String) -> CommandResult<AppStatus> {
    let _changing = state.begin_change("switch profile", true).await?;
    let session = state.switch_to(&id).await?;
    Ok(session.status().await?)
}

/// A form's profile id must be a saved profile (its kept secrets are read from the keyring).
fn check_form_id(state: &AppState, input: &ProfileInput) -> agreement_sync_core::Result<()> {
    match input.id.as_deref() {
        None => Ok(()),
        Some(DEMO_ID) => Err(Error::invalid(
            ErrorField::Name,
            "The Demo profile uses the built-in simulator; there is nothing to test.",
        )),
        Some(id) => state.profiles()?.get(id).map(|_| ()),
    }
}

pub async fn test_connectwise(
    state: &AppState,
    input: ProfileInput,
) -> CommandResult<ConnectWiseTestView> {
    check_form_id(state, &input)?;
    let secrets = state.secrets();
    let config = blocking(move || profiles::connectwise_for_test(&input, secrets.as_ref())).await?;
    Ok(connections::test_connectwise(&config, TEST_TIMEOUTS)
        .await
        .inspect_err(|e| tracing::info!("ConnectWise test connection failed: {e}"))?)
}

pub async fn test_marketplace(
    state: &AppState,
    input: ProfileInput,
) -> CommandResult<MarketplaceTestView> {
    check_form_id(state, &input)?;
    let secrets = state.secrets();
    let config = blocking(move || profiles::marketplace_for_test(&input, secrets.as_ref())).await?;
    Ok(connections::test_marketplace(&config, TEST_TIMEOUTS)
        .await
        .inspect_err(|e| tracing::info!("marketplace test connection failed: {e}"))?)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use serde_json::{json, Value};

    use crate::mock_window::{channel, invoke_on, MockWindow};

    /// A real profile's form as the window sends it: every setting, every secret new.
    fn contoso() -> Value {
        json!({
            "input": {
                "id": null,
                "name": "Contoso",
                "connectwise": {
                    "site": "api-na.myconnectwise.net",
                    "companyId": "contoso",
                    "clientId": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
                    "codebase": "",
                    "publicKey": { "action": "replace", "value": "public" },
                    "privateKey": { "action": "replace", "value": "private" },
                },
                "marketplace": {
                    "codeOrUrl": "us",
                    "username": "billing",
                    "password": { "action": "replace", "value": "password" },
                    "subscriptionKey": { "action": "replace", "value": "key" },
                },
            }
        })
    }

    /// Saves Contoso and returns its id.
    fn save_contoso(window: &MockWindow) -> String {
        let form = window.invoke("save_profile", contoso()).expect("saved");
        form["id"]
            .as_str()
            .expect("a saved profile has an id")
            .to_owned()
    }

    fn status(window: &MockWindow) -> Value {
        window.invoke("app_status", json!({})).expect("a status")
    }

    #[test]
    fn switching_profile_opens_its_own_cache_and_back() {
        let window = MockWindow::open();
        let demo = status(&window);
        assert_eq!(
            (&demo["profileName"], &demo["demo"]),
            (&json!("Demo"), &json!(true))
        );
        window
            .invoke(
                "check_changes",
                json!({ "onProgress": channel(1), "readConnectwiseWhole": false }),
            )
            .expect("Demo's Check Changes");
        let demo_tasks = status(&window)["taskCount"].clone();
        assert!(demo_tasks.as_u64().is_some_and(|n| n > 0), "{demo_tasks}");
        let id = save_contoso(&window);

        let contoso = window
            .invoke("switch_profile", json!({ "id": id }))
            .expect("switched");
        assert_eq!(contoso["profileName"], "Contoso");
        assert_eq!(contoso["demo"], false);
        assert_eq!(contoso["taskCount"], 0, "Contoso has a cache of its own");
        assert_eq!(status(&window)["profileName"], "Contoso");
        let profiles = window.invoke("list_profiles", json!({})).expect("profiles");
        assert_eq!(profiles["activeId"], json!(id));

        let back = window
            .invoke("switch_profile", json!({ "id": "demo" }))
            .expect("switched back");
        assert_eq!(back["profileName"], "Demo");
        assert_eq!(back["taskCount"], demo_tasks, "Demo's cache was kept");
    }

    #[test]
    fn switching_to_a_profile_that_does_not_exist_keeps_the_open_one() {
        let window = MockWindow::open();
        let refusal = window
            .invoke("switch_profile", json!({ "id": "nobody" }))
            .expect_err("refused");
        assert_eq!(
            refusal,
            json!({
                "code": "notFound",
                "message": "The profile \"nobody\" was not found",
                "field": null,
            })
        );
        assert_eq!(status(&window)["profileName"], "Demo");
    }

    #[test]
    fn a_switch_is_refused_while_check_changes_runs() {
        let window = MockWindow::open();
        let id = save_contoso(&window);
        // Each answer of Demo's simulator comes late: the check is still running when the
        // switch is asked for.
        window.state().set_demo_latency(Duration::from_secs(2));
        let checking = window.webview();
        let check = std::thread::spawn(move || {
            invoke_on(
                &checking,
                "check_changes",
                json!({ "onProgress": channel(1), "readConnectwiseWhole": true }),
            )
        });
        let session = window.state().session().expect("Demo is open");
        let started = Instant::now();
        while session.busy().is_none() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the check never started"
            );
            std::thread::sleep(Duration::from_millis(5));
        }

        let refusal = window.invoke("switch_profile", json!({ "id": id }));
        assert_eq!(
            refusal,
            Err(json!({
                "code": "invalid",
                "message": "Can't switch profile while Check Changes is running; wait for it to finish.",
                "field": "profile",
            }))
        );
        assert_eq!(window.state().open_id(), "demo");

        window.state().set_demo_latency(Duration::ZERO);
        let summary = check.join().expect("the check's thread");
        assert!(summary.is_ok(), "the check went on: {summary:?}");
        let contoso = window
            .invoke("switch_profile", json!({ "id": id }))
            .expect("switched once the check was over");
        assert_eq!(contoso["profileName"], "Contoso");
    }
}
