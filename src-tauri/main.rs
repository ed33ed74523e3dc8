// Keeps a console window from opening next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    agreement_sync_app::lighten_web_engine();
    agreement_sync_app::run();
}
