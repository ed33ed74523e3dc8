// Keeps a console window from opening next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Some(version) = agreement_sync_app::version_asked(std::env::args()) {
        println!("{version}");
        return;
    }
    agreement_sync_app::lighten_web_engine();
    agreement_sync_app::run();
}
