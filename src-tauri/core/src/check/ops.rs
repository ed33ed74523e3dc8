//! Check Changes on the open profile. They are the context's
//! (`impl Context`), written with their feature; a session derefs to its context.

use crate::check::CheckProgress;
use crate::check::{check_changes, CheckOptions};
use crate::context::Context;
use crate::error::{ErrorField, Result};
use crate::turn::Work;
use crate::view::CheckSummary;

/// Check Changes on the open profile.
impl Context {
    pub async fn check_changes(
        &self,
        progress: &(dyn Fn(CheckProgress) + Send + Sync),
    ) -> Result<CheckSummary> {
        self.check(progress, false).await
    }

    /// Check Changes that reads every ConnectWise list whole (not only what changed since the
    /// last refresh): for when the cached ConnectWise data is in doubt.
    pub async fn check_changes_reading_connectwise_whole(
        &self,
        progress: &(dyn Fn(CheckProgress) + Send + Sync),
    ) -> Result<CheckSummary> {
        self.check(progress, true).await
    }

    async fn check(
        &self,
        progress: &(dyn Fn(CheckProgress) + Send + Sync),
        connectwise_whole: bool,
    ) -> Result<CheckSummary> {
        let _turn = self
            .turn
            .checking
            .take(Work::CheckChanges)
            .map_err(|running| Work::CheckChanges.refused_by(running, ErrorField::CheckChanges))?;
        let marketplace = self.marketplace()?;
        let connectwise = self.connectwise()?;
        let options = CheckOptions {
            connectwise_whole,
            ..self.options.check.clone()
        };
        let result = check_changes(
            marketplace,
            Some(connectwise),
            &self.store,
            &options,
            self.clock.now(),
            progress,
        )
        .await;
        // A refresh may have replaced the companies and catalog.
        self.directory.forget();
        self.observe(&result);
        result
    }
}
