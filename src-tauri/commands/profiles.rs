//! Connections: the profiles, their settings and credentials, switching, and Test connection.
//! Secrets arrive from the window inside `ProfileInput` and go to the keyring; nothing returned
//! here carries one.

use agreement_sync_core::connections::{self, TEST_TIMEOUTS};
use agreement_sync_core::profiles::{self, DEMO_ID};
use agreement_sync_core::view::{
    AppStatus, ConnectWiseTestView, MarketplaceTestView, ProfileForm, ProfileInput, ProfilesView,
};
use agreement_sync_core::Error;

use super::{view_error, CommandResult};
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
    form(state, id).await.map_err(view_error)
}

pub async fn save_profile(state: &AppState, input: ProfileInput) -> CommandResult<ProfileForm> {
    let open = input.id.as_deref() == Some(state.open_id().as_str());
    let _changing = state
        .begin_change("change the open profile's connection", open)
        .await
        .map_err(view_error)?;
    let id = state
        .change_profiles(move |list, secrets| list.save(&input, secrets))
        .await
        .map_err(view_error)?;
    tracing::info!(profile = %id, "profile saved");
    if open {
        // The open profile connects with what was just saved.
        state.switch_to(&id).await.map_err(view_error)?;
    }
    form(state, id).await.map_err(view_error)
}

pub async fn remove_profile(state: &AppState, id: String) -> CommandResult<ProfilesView> {
    let open = state.open_id() == id;
    let _changing = state
        .begin_change("remove the open profile", open)
        .await
        .map_err(view_error)?;
    state.profiles().map_err(view_error)?;
    if open {
        state.switch_to(DEMO_ID).await.map_err(view_error)?;
    }
    let removed = id.clone();
    state
        .change_profiles(move |list, secrets| list.remove(&removed, secrets))
        .await
        .map_err(view_error)?;
    tracing::info!(profile = %id, "profile removed");
    Ok(profiles_view(state).await)
}

pub async fn switch_profile(state: &AppState, id: String) -> CommandResult<AppStatus> {
    let _changing = state
        .begin_change("switch profile", true)
        .await
        .map_err(view_error)?;
    let session = state.switch_to(&id).await.map_err(view_error)?;
    session.status().await.map_err(view_error)
}

/// A form's profile id must be a saved profile (its kept secrets are read from the keyring).
fn check_form_id(state: &AppState, input: &ProfileInput) -> agreement_sync_core::Result<()> {
    match input.id.as_deref() {
        None => Ok(()),
        Some(DEMO_ID) => Err(Error::invalid(
            "name",
            "The Demo profile uses the built-in simulator; there is nothing to test.",
        )),
        Some(id) => state.profiles()?.get(id).map(|_| ()),
    }
}

pub async fn test_connectwise(
    state: &AppState,
    input: ProfileInput,
) -> CommandResult<ConnectWiseTestView> {
    check_form_id(state, &input).map_err(view_error)?;
    let secrets = state.secrets();
    let config = blocking(move || profiles::connectwise_for_test(&input, secrets.as_ref()))
        .await
        .map_err(view_error)?;
    connections::test_connectwise(&config, TEST_TIMEOUTS)
        .await
        .inspect_err(|e| tracing::info!("ConnectWise test connection failed: {e}"))
        .map_err(view_error)
}

pub async fn test_marketplace(
    state: &AppState,
    input: ProfileInput,
) -> CommandResult<MarketplaceTestView> {
    check_form_id(state, &input).map_err(view_error)?;
    let secrets = state.secrets();
    let config = blocking(move || profiles::marketplace_for_test(&input, secrets.as_ref()))
        .await
        .map_err(view_error)?;
    connections::test_marketplace(&config, TEST_TIMEOUTS)
        .await
        .inspect_err(|e| tracing::info!("marketplace test connection failed: {e}"))
        .map_err(view_error)
}
