//! Which desk this is (SPEC §17): the OS user and the computer the app runs on, as the activity
//! log names who wrote what. Read once.

use std::sync::OnceLock;

/// "ana on BILLING-PC". `AGREEMENT_SYNC_DESK` names it instead (tests, and a shared login that
/// wants a clearer name).
pub fn this_desk() -> &'static str {
    static DESK: OnceLock<String> = OnceLock::new();
    DESK.get_or_init(|| {
        if let Some(named) = std::env::var("AGREEMENT_SYNC_DESK")
            .ok()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
        {
            return named;
        }
        named(
            Some(whoami::username()).filter(|u| !u.trim().is_empty()),
            whoami::fallible::hostname().ok(),
        )
    })
}

/// A desk's name from what the OS says; what it cannot say is left out.
fn named(user: Option<String>, host: Option<String>) -> String {
    let clean = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    match (clean(user), clean(host)) {
        (Some(u), Some(h)) => format!("{u} on {h}"),
        (Some(u), None) => u,
        (None, Some(h)) => format!("someone on {h}"),
        (None, None) => "this computer".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_desk_is_named_by_what_the_os_says() {
        let s = |v: &str| Some(v.to_owned());
        assert_eq!(named(s("ana"), s("BILLING-PC")), "ana on BILLING-PC");
        assert_eq!(named(s("ana"), s("  ")), "ana");
        assert_eq!(named(None, s("BILLING-PC")), "someone on BILLING-PC");
        assert_eq!(named(s(""), None), "this computer");
        assert!(!this_desk().is_empty());
    }
}
